import { Injectable } from '@nestjs/common';
import { ConfirmAwaitingOrdersService } from '../services/confirm-awaiting-orders.service.js';
import { OrdersSettings } from '../services/orders-settings.js';
import { IntervalWorker } from './interval-worker.js';

/**
 * Runs the confirmation of orders awaiting stock on a timer in every replica and every mode.
 * Replicas may run at once: each claims its own batch (FOR UPDATE SKIP LOCKED, then a lease), and
 * the catalog's reserve is idempotent per order, so a lease that ran out costs a repeat, not stock.
 * At shutdown a round under way finishes (one catalog call and one transaction per order at
 * most); its claims left untried become due again when their lease ends.
 */
@Injectable()
export class StockConfirmer extends IntervalWorker {
  protected readonly intervalMs: number;
  protected readonly failure = 'confirming orders awaiting stock failed';

  constructor(
    private readonly confirmations: ConfirmAwaitingOrdersService,
    settings: OrdersSettings,
  ) {
    super();
    this.intervalMs = settings.stockConfirmationIntervalMs;
  }

  protected async round(): Promise<void> {
    const round = await this.confirmations.confirmDue();
    if (round.confirmed + round.cancelled + round.skipped > 0) {
      this.logger.log(round, 'confirmed orders awaiting stock');
    }
  }
}
