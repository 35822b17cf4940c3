import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { OrdersSettings } from '../services/orders-settings.js';
import { SweepIdempotencyKeysService } from '../services/sweep-idempotency-keys.service.js';

/**
 * Runs the idempotency-key sweep on a timer in every replica. Replicas may sweep at once: each
 * step is idempotent (release) or conditional (delete where still unfinished), so that is safe.
 */
@Injectable()
export class IdempotencyKeySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeySweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly sweepService: SweepIdempotencyKeysService,
    private readonly settings: OrdersSettings,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.settings.idempotencySweepIntervalMs;
    if (interval === 0) return;
    // Does not keep the process alive: shutdown never waits for the next sweep.
    this.timer = setInterval(() => this.runOnce(), interval).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private runOnce(): void {
    if (this.running) return;
    this.running = this.sweepService
      .sweep()
      .then(({ released, deleted }) => {
        if (released > 0 || deleted > 0) {
          this.logger.log({ released, deleted }, 'swept idempotency keys');
        }
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'idempotency key sweep failed'))
      .finally(() => (this.running = undefined));
  }
}
