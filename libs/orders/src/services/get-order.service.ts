import { Injectable } from '@nestjs/common';
import type { Order } from '../domain/order.js';
import type { OrderActor } from '../domain/order-actor.js';
import { OrderNotFoundError } from '../domain/order.errors.js';
import { OrderRepository } from '../repositories/order.repository.js';

@Injectable()
export class GetOrderService {
  constructor(private readonly orders: OrderRepository) {}

  /** The order if the actor may see it; someone else's order is "not found", never "forbidden". */
  async get(orderId: string, actor: OrderActor): Promise<Order> {
    const order = await this.orders.findById(orderId);
    if (!order || !order.isVisibleTo(actor)) throw new OrderNotFoundError(orderId);
    return order;
  }
}
