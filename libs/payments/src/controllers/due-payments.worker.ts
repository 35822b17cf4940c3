import { AsyncResource } from 'node:async_hooks';
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

/**
 * A worker slot held for a payment about to be opened already claimed (OpenPaymentService's
 * openClaimed): `work` hands the claim over, `release` gives the slot back. Exactly one of them.
 */
export interface ReservedSlot {
  work(claim: DuePaymentClaim): void;
  release(): void;
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
  /** Slots held for payments being opened claimed (reserveSlot), and for the claim under way. */
  private reserved = 0;
  private claiming = 0;
  /** Starts work in the context the loop runs in, whoever calls it (see reserveSlot). */
  private startInLoopContext: (claims: readonly DuePaymentClaim[]) => void = () => undefined;
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
    this.startInLoopContext = AsyncResource.bind((claims) => this.startWorking(claims));
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

  /**
   * Holds a slot for a payment its caller opens already claimed, so its charge starts without a
   * claim's round trips (ADR 0062); null when no slot is free or the worker is not running: open
   * the payment unclaimed and wake the worker instead. A claim handed over is started by the loop,
   * outside the caller's context (a message's scope, its span), like every claim it makes.
   */
  reserveSlot(): ReservedSlot | null {
    if (!this.running || this.stopping) return null;
    if (this.freeSlots() <= 0) return null;
    this.reserved += 1;
    let settled = false;
    const settle = () => {
      if (settled) throw new Error('a reserved worker slot is used once');
      settled = true;
      this.reserved -= 1;
    };
    return {
      work: (claim) => {
        settle();
        // Stopping: its lease was committed with it, so it is due again when the lease ends.
        if (!this.stopping) this.startInLoopContext([claim]);
      },
      release: () => {
        settle();
        this.slotFreed();
      },
    };
  }

  private async loop(stopped: Promise<void>): Promise<void> {
    if (this.database) {
      // Until the database is reachable there is nothing to claim; stopping ends the wait.
      await Promise.race([this.database.whenReady(), stopped]);
    }
    const { pollIntervalMs } = this.options.worker;
    while (!this.stopping) {
      const free = this.freeSlots();
      this.waitingForSlot = free <= 0;
      let claimed = 0;
      if (free > 0) {
        this.claiming = free;
        try {
          claimed = this.startWorking(await this.processDue.claimDue(free));
        } catch (error) {
          this.logger.warn(
            `could not claim due payments, retrying in ${pollIntervalMs} ms: ${(error as Error).message}`,
          );
        } finally {
          this.claiming = 0;
        }
      }
      if (this.stopping) break;
      // A claim that filled every free slot means more may be due: go again without waiting.
      if (free <= 0 || claimed < free) await this.wakeUp.wait(pollIntervalMs);
    }
    await Promise.all(this.inFlight);
  }

  private freeSlots(): number {
    return this.options.worker.batchSize - this.inFlight.size - this.reserved - this.claiming;
  }

  private slotFreed(): void {
    // Only a loop that found no free slot waits for one; waking it after every call would cost a
    // claim that finds nothing per payment.
    if (this.waitingForSlot) {
      this.waitingForSlot = false;
      this.wakeUp.signal();
    }
  }

  private startWorking(claims: readonly DuePaymentClaim[]): number {
    for (const claim of claims) {
      // work() never rejects: an outcome it cannot record is retried once the lease runs out.
      const call: Promise<void> = this.processDue.work(claim, this.calls.signal).finally(() => {
        this.inFlight.delete(call);
        this.slotFreed();
      });
      this.inFlight.add(call);
    }
    return claims.length;
  }
}
