import { Clock } from '#lib/kernel';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { OrderRepository } from '../repositories/order.repository.js';

export const AWAITING_STOCK_ORDERS_METRIC = 'orders_awaiting_stock';
export const OLDEST_AWAITING_STOCK_AGE_METRIC = 'orders_awaiting_stock_oldest_age_seconds';

/**
 * How many orders await stock and how long the oldest has waited, read from the database at each
 * scrape. An order waits while the catalog does not answer, and nothing gives up on it: this age
 * is what says an outage (or a stuck order) lasts too long (alert OrdersAwaitingStockTooLong).
 * Every replica reports the same table: aggregate with max, not sum.
 */
@Injectable()
export class AwaitingStockMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AwaitingStockMetrics.name);
  private inFlight?: Promise<{ count: number; oldestAgeSeconds: number } | undefined>;
  private unavailable = false;

  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const read = () => this.read();
    const gauges = [
      {
        name: AWAITING_STOCK_ORDERS_METRIC,
        help: 'Orders accepted while the catalog could not be reached, not yet confirmed or cancelled',
        value: (backlog: { count: number }) => backlog.count,
      },
      {
        name: OLDEST_AWAITING_STOCK_AGE_METRIC,
        help: 'Age of the oldest order awaiting stock (0 when none waits)',
        value: (backlog: { oldestAgeSeconds: number }) => backlog.oldestAgeSeconds,
      },
    ];
    for (const { name, help, value } of gauges) {
      // Another app in this process (tests) may have registered it, bound to its own database.
      register.removeSingleMetric(name);
      new Gauge({
        name,
        help,
        registers: [register],
        async collect() {
          const backlog = await read();
          // remove, not reset: a reassuring 0 is not what an unreadable database means.
          if (backlog) this.set(value(backlog));
          else this.remove({});
        },
      });
    }
  }

  onModuleDestroy(): void {
    register.removeSingleMetric(AWAITING_STOCK_ORDERS_METRIC);
    register.removeSingleMetric(OLDEST_AWAITING_STOCK_AGE_METRIC);
  }

  /** Both gauges of one scrape share one query. */
  private read(): Promise<{ count: number; oldestAgeSeconds: number } | undefined> {
    this.inFlight ??= this.query().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async query(): Promise<{ count: number; oldestAgeSeconds: number } | undefined> {
    try {
      const { count, oldestCreatedAt } = await this.orders.awaitingStockBacklog();
      this.unavailable = false;
      const ageMs = oldestCreatedAt ? this.clock.now().getTime() - oldestCreatedAt.getTime() : 0;
      return { count, oldestAgeSeconds: Math.max(0, ageMs) / 1000 };
    } catch (error) {
      if (!this.unavailable) {
        this.unavailable = true;
        this.logger.warn(`awaiting stock metrics left out: ${(error as Error).message}`);
      }
      return undefined;
    }
  }
}
