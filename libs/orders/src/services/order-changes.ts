import { Injectable } from '@nestjs/common';
import { EventPublisher } from '#lib/messaging';
import type { Order } from '../domain/order.js';
import { OrderNotFoundError } from '../domain/order.errors.js';
import { OrderRepository } from '../repositories/order.repository.js';
import { toIntegrationEvent } from './order-integration-events.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';

/**
 * How every use case changes an existing order: in one transaction, read it locked, let the domain
 * decide, then write it and publish the events it recorded (outbox), or nothing if it recorded none.
 */
@Injectable()
export class OrderChanges {
  constructor(
    private readonly orders: OrderRepository,
    private readonly events: EventPublisher,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * @param change mutates the order through its domain methods (which refuse illegal transitions).
   * @param isAllowed who may see the order; anyone else gets OrderNotFoundError, like a missing id.
   */
  apply(
    orderId: string,
    change: (order: Order) => void,
    isAllowed: (order: Order) => boolean = () => true,
  ): Promise<Order> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findByIdForUpdate(orderId);
      if (!order || !isAllowed(order)) throw new OrderNotFoundError(orderId);
      change(order);
      const events = order.pullEvents();
      if (events.length > 0) {
        await this.orders.update(order);
        await this.events.publish(events.map(toIntegrationEvent));
      }
      return order;
    });
  }
}
