import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfirmAwaitingOrdersService } from '../services/confirm-awaiting-orders.service.js';
import { OrdersSettings } from '../services/orders-settings.js';

/**
 * Runs the confirmation of orders awaiting stock on a timer in every replica and every mode.
 * Replicas may run at once: each claims its own batch (FOR UPDATE SKIP LOCKED, then a lease), and
 * the catalog's reserve is idempotent per order, so a lease that ran out costs a repeat, not stock.
 */
@Injectable()
export class StockConfirmer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StockConfirmer.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly confirmations: ConfirmAwaitingOrdersService,
    private readonly settings: OrdersSettings,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.settings.stockConfirmationIntervalMs;
    if (interval === 0) return;
    // Does not keep the process alive: shutdown never waits for the next round.
    this.timer = setInterval(() => this.runOnce(), interval).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    // A round under way finishes (one catalog call and one transaction per order at most); its
    // claims left untried become due again when their lease ends.
    await this.running;
  }

  private runOnce(): void {
    if (this.running) return;
    this.running = this.confirmations
      .confirmDue()
      .then((round) => {
        if (round.confirmed + round.cancelled + round.skipped > 0) {
          this.logger.log(round, 'confirmed orders awaiting stock');
        }
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'confirming orders awaiting stock failed'),
      )
      .finally(() => (this.running = undefined));
  }
}
