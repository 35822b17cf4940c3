import { Clock } from '#lib/kernel';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BacklogGauges } from '#lib/database';
import { OrderRepository } from '../repositories/order.repository.js';

export const AWAITING_STOCK_ORDERS_METRIC = 'orders_awaiting_stock';
export const OLDEST_AWAITING_STOCK_AGE_METRIC = 'orders_awaiting_stock_oldest_age_seconds';

/**
 * How many orders await stock and how long the oldest has waited, read from the database at each
 * scrape. An order waits while the catalog does not answer, and nothing gives up on it: this age
 * is what says an outage (or a stuck order) lasts too long (alert OrdersAwaitingStockTooLong).
 * Every order of the database counts, whichever app owns it (ADR 0054).
 */
@Injectable()
export class AwaitingStockMetrics implements OnModuleInit, OnModuleDestroy {
  private gauges?: BacklogGauges;

  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.gauges = new BacklogGauges({
      what: 'awaiting stock',
      count: {
        name: AWAITING_STOCK_ORDERS_METRIC,
        help: 'Orders accepted while the catalog could not be reached, not yet confirmed or cancelled',
      },
      oldestAge: {
        name: OLDEST_AWAITING_STOCK_AGE_METRIC,
        help: 'Age of the oldest order awaiting stock (0 when none waits)',
      },
      read: async () => {
        const { count, oldestCreatedAt } = await this.orders.awaitingStockBacklog();
        return { count, oldestSince: oldestCreatedAt };
      },
      now: () => this.clock.now(),
    });
  }

  onModuleDestroy(): void {
    this.gauges?.remove();
  }
}
