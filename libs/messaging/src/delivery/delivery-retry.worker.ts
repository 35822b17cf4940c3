import {
  type BeforeApplicationShutdown,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { DatabaseConnection } from '#lib/database';
import { PollingLoop } from '#lib/resilience';
import type { DeliveryRetryStore } from './delivery-retry.store.js';
import type { EventDispatcher } from './event-dispatcher.js';
import type { EventRedeliverer } from './event-redeliverer.js';

export interface DeliveryRetryWorkerOptions {
  /** How often due retries are looked for. */
  readonly pollIntervalMs: number;
  /** Retries taken per poll. */
  readonly batchSize: number;
  /** How long a claimed retry is hidden from other processes: longer than any attempt takes. */
  readonly leaseMs: number;
}

export const DEFAULT_DELIVERY_RETRY_WORKER_OPTIONS: DeliveryRetryWorkerOptions = {
  pollIntervalMs: 1_000,
  batchSize: 20,
  leaseMs: 120_000,
};

/**
 * Delivers stored retries when they fall due, to the consumers registered in this process. Any
 * replica may take any due retry; the lease keeps two from taking the same one at once.
 */
export class DeliveryRetryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(DeliveryRetryWorker.name);
  private readonly polling: PollingLoop;

  constructor(
    private readonly store: DeliveryRetryStore,
    private readonly dispatcher: EventDispatcher,
    private readonly redeliverer: EventRedeliverer,
    private readonly options: DeliveryRetryWorkerOptions = DEFAULT_DELIVERY_RETRY_WORKER_OPTIONS,
    private readonly connection?: DatabaseConnection,
  ) {
    this.polling = new PollingLoop(
      {
        ready: async () => this.connection?.whenReady(),
        poll: async () => (await this.deliverDueLogged()) >= this.options.batchSize,
      },
      options.pollIntervalMs,
      (error: unknown) => {
        this.log.error({ err: error }, 'the delivery retry worker stopped unexpectedly');
      },
    );
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    this.polling.start();
  }

  /** Lets the attempts in progress finish; claims nothing more. */
  async stop(): Promise<void> {
    await this.polling.stop();
  }

  /** One pass: delivers the retries due now. Returns how many it took. */
  async deliverDue(): Promise<number> {
    const due = await this.store.claimDue(
      this.dispatcher.consumers(),
      this.options.batchSize,
      this.options.leaseMs,
    );
    await Promise.all(
      due.map(async (retry) => {
        try {
          await this.redeliverer.redeliver(retry);
        } catch (error) {
          // Nothing recorded: the lease runs out and the retry is taken again.
          this.log.error(
            { err: error },
            `retry ${retry.id} of ${retry.consumer} could not be delivered`,
          );
        }
      }),
    );
    return due.length;
  }

  private async deliverDueLogged(): Promise<number> {
    try {
      return await this.deliverDue();
    } catch (error) {
      this.log.warn(`due retries could not be read: ${(error as Error).message}`);
      return 0;
    }
  }
}
