import { Injectable } from '@nestjs/common';
import { OrdersSettings } from '../services/orders-settings.js';
import { SweepIdempotencyKeysService } from '../services/sweep-idempotency-keys.service.js';
import { IntervalWorker } from './interval-worker.js';

/**
 * Runs the idempotency-key sweep on a timer in every replica. Replicas may sweep at once: each
 * step is idempotent (release) or conditional (delete where still unfinished), so that is safe.
 */
@Injectable()
export class IdempotencyKeySweeper extends IntervalWorker {
  protected readonly intervalMs: number;
  protected readonly failure = 'idempotency key sweep failed';

  constructor(
    private readonly sweepService: SweepIdempotencyKeysService,
    settings: OrdersSettings,
  ) {
    super();
    this.intervalMs = settings.idempotencySweepIntervalMs;
  }

  protected async round(): Promise<void> {
    const { released, deleted } = await this.sweepService.sweep();
    if (released > 0 || deleted > 0) {
      this.logger.log({ released, deleted }, 'swept idempotency keys');
    }
  }
}
