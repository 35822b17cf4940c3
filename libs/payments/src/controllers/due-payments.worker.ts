import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { DatabaseConnection } from '#lib/database';
import { type TransientFailure, WakeUpLatch } from '#lib/resilience';
import { PAYMENTS_OPTIONS, type ResolvedPaymentsOptions } from '../payments-options.js';
import {
  type DuePaymentClaim,
  ProcessDuePaymentsService,
} from '../services/process-due-payments.service.js';

/** Aborts provider calls still running when the worker stops; the payment is simply tried again. */
class PaymentsWorkerStoppedError extends Error implements TransientFailure {
  readonly transient = true;

  constructor() {
    super('the payments worker stopped before the provider answered');
    this.name = new.target.name;
  }
}

/** How long stopping waits for calls in flight before it aborts them. */
const DRAIN_TIMEOUT_MS = 3_000;

/**
 * The inbound adapter that drives charges and refunds: a worker in every process that serves
 * payments, with `batchSize` slots for provider calls. It claims due payments for its free slots
 * whenever a message makes one due, a slot frees after the loop found none free, or the poll
 * interval passes, and claims again straight away while claims come back full. A payment that falls
 * due while others wait for the provider is charged at once, not after the slowest of a batch.
 * Replicas run one each and share the work through `FOR UPDATE SKIP LOCKED` claims. Stopping lets
 * calls in flight finish for a moment, then aborts them; an aborted payment is simply due again.
 */
@Injectable()
export class DuePaymentsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DuePaymentsWorker');
  private readonly wakeUp = new WakeUpLatch();
  private calls = new AbortController();
  private running?: Promise<void>;
  /** Provider calls under way: each holds one of the `batchSize` slots. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The loop found every slot taken: the next freed slot must wake it. */
  private waitingForSlot = false;
  private stopping = false;
  private stopRequested: () => void = () => undefined;

  constructor(
    private readonly processDue: ProcessDuePaymentsService,
    @Inject(PAYMENTS_OPTIONS) private readonly options: Pick<ResolvedPaymentsOptions, 'worker'>,
    @Optional() private readonly database?: DatabaseConnection,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  onApplicationBootstrap(): void {
    if (this.options.worker.enabled) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.calls = new AbortController();
    const stopped = new Promise<void>((resolve) => (this.stopRequested = resolve));
    this.running = this.loop(stopped).catch((error: unknown) => {
      this.logger.error({ err: error }, 'the payments worker stopped unexpectedly');
    });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.stopRequested();
    this.wakeUp.signal();
    const drained = await Promise.race([
      this.running.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS).unref()),
    ]);
    if (!drained) this.calls.abort(new PaymentsWorkerStoppedError());
    await this.running;
    this.running = undefined;
  }

  /** Asks for a pass now rather than at the next poll: a message just made a payment due. */
  wake(): void {
    this.wakeUp.signal();
  }

  private async loop(stopped: Promise<void>): Promise<void> {
    if (this.database) {
      // Until the database is reachable there is nothing to claim; stopping ends the wait.
      await Promise.race([this.database.whenReady(), stopped]);
    }
    const { pollIntervalMs, batchSize } = this.options.worker;
    while (!this.stopping) {
      const free = batchSize - this.inFlight.size;
      this.waitingForSlot = free === 0;
      let claimed = 0;
      if (free > 0) {
        try {
          claimed = this.startWorking(await this.processDue.claimDue(free));
        } catch (error) {
          this.logger.warn(
            `could not claim due payments, retrying in ${pollIntervalMs} ms: ${(error as Error).message}`,
          );
        }
      }
      if (this.stopping) break;
      // A claim that filled every free slot means more may be due: go again without waiting.
      if (free === 0 || claimed < free) await this.wakeUp.wait(pollIntervalMs);
    }
    await Promise.all(this.inFlight);
  }

  private startWorking(claims: readonly DuePaymentClaim[]): number {
    for (const claim of claims) {
      // work() never rejects: an outcome it cannot record is retried once the lease runs out.
      const call: Promise<void> = this.processDue.work(claim, this.calls.signal).finally(() => {
        this.inFlight.delete(call);
        // Only a loop that found no free slot waits for one; waking it after every call would
        // cost a claim that finds nothing per payment.
        if (this.waitingForSlot) {
          this.waitingForSlot = false;
          this.wakeUp.signal();
        }
      });
      this.inFlight.add(call);
    }
    return claims.length;
  }
}
