import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import type { Order } from '../domain/order.js';
import { OrderChanges } from './order-changes.js';

/** An admin marks a paid order as shipped. */
@Injectable()
export class ShipOrderService {
  constructor(
    private readonly changes: OrderChanges,
    private readonly clock: Clock,
  ) {}

  ship(orderId: string): Promise<Order> {
    return this.changes.apply(orderId, (order) => order.ship(this.clock.now()));
  }
}
