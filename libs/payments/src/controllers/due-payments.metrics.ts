import { Clock } from '#lib/kernel';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BacklogGauges } from '#lib/database';
import { PaymentRepository } from '../repositories/payment.repository.js';

export const DUE_PAYMENTS_METRIC = 'payments_due';
export const OLDEST_DUE_PAYMENT_AGE_METRIC = 'payments_due_oldest_overdue_seconds';

/**
 * How many payments have a charge, refund or reconciliation due now, and how long the oldest has
 * been due, read from the database at each scrape. A running worker takes due work within its poll
 * interval (claimed work is leased into the future, so it no longer counts); an age that keeps
 * growing means no worker takes it: workers disabled or down, or the payments belong to an app
 * name nothing runs any more (ADR 0054; alert PaymentsOverdue). Every payment of the database counts.
 */
@Injectable()
export class DuePaymentsMetrics implements OnModuleInit, OnModuleDestroy {
  private gauges?: BacklogGauges;

  constructor(
    private readonly payments: PaymentRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.gauges = new BacklogGauges({
      what: 'due payments',
      count: {
        name: DUE_PAYMENTS_METRIC,
        help: 'Payments with a charge, refund or reconciliation due now, not yet claimed by a worker',
      },
      oldestAge: {
        name: OLDEST_DUE_PAYMENT_AGE_METRIC,
        help: 'How long the longest-due payment has waited for a worker (0 when none is due)',
      },
      read: async (now) => {
        const { count, oldestDueAt } = await this.payments.dueBacklog(now);
        return { count, oldestSince: oldestDueAt };
      },
      now: () => this.clock.now(),
    });
  }

  onModuleDestroy(): void {
    this.gauges?.remove();
  }
}
