import { Injectable } from '@nestjs/common';
import type { Order } from '../domain/order.js';
import type { OrderActor } from '../domain/order-actor.js';
import { OrderRepository } from '../repositories/order.repository.js';
import { OrderPageCursor } from './order-page-cursor.js';

export interface OrderPage {
  readonly orders: readonly Order[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/** Newest orders first: a customer's own, or every customer's for an admin. */
@Injectable()
export class ListOrdersService {
  constructor(private readonly orders: OrderRepository) {}

  async page(actor: OrderActor, query: { limit: number; cursor?: string }): Promise<OrderPage> {
    const after = query.cursor === undefined ? undefined : OrderPageCursor.decode(query.cursor);
    const filter = actor.isAdmin ? {} : { customerId: actor.id };
    // One extra row tells whether another page exists without a count query.
    const found = await this.orders.listNewestFirst(filter, after, query.limit + 1);
    const orders = found.slice(0, query.limit);
    const last = orders.at(-1);
    return found.length > query.limit && last
      ? { orders, nextCursor: OrderPageCursor.encode({ createdAt: last.createdAt, id: last.id }) }
      : { orders };
  }
}
