import { randomUUID } from 'node:crypto';
import type { TransientFailure } from '#lib/resilience';
import {
  type ChargeRequest,
  type ChargeResult,
  PaymentProvider,
  type ProviderCallOptions,
  type RefundRequest,
  type RefundResult,
} from '../services/ports/payment-provider.port.js';

/** What the scripted provider does with one call: answer, decline, fail as an outage, or hang until aborted. */
export type ScriptedBehaviour = 'answer' | 'decline' | 'outage' | 'hang';

export class ScriptedOutageError extends Error implements TransientFailure {
  readonly transient = true;

  constructor() {
    super('provider unavailable (scripted)');
  }
}

/**
 * Test double of the provider: each call takes the next scripted behaviour ('answer' once the
 * script runs out). Like a real provider it honours idempotency keys, and it counts what really
 * happened, so tests can assert "charged exactly once" rather than "called once".
 */
export class ScriptedPaymentProvider extends PaymentProvider {
  readonly chargeCalls: ChargeRequest[] = [];
  readonly refundCalls: RefundRequest[] = [];
  private readonly charges = new Map<string, ChargeResult>();
  private readonly refunds = new Map<string, RefundResult>();
  private readonly script: ScriptedBehaviour[] = [];
  private lastBehaviour: ScriptedBehaviour = 'answer';
  private holdNext = false;
  private held: (() => void)[] = [];
  private heldArrived?: () => void;

  /** Appends behaviours for the next calls (charges and refunds alike). */
  willBehave(...behaviours: ScriptedBehaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** Distinct successful charges, i.e. how many times money was really taken. */
  get chargesMade(): number {
    return [...this.charges.values()].filter((result) => result.status === 'succeeded').length;
  }

  get refundsMade(): number {
    return this.refunds.size;
  }

  /** The next call waits, as if in flight, until `release()`; then it behaves as scripted. */
  holdNextCall(): this {
    this.holdNext = true;
    return this;
  }

  /** Resolves once a call is being held. */
  whenHolding(): Promise<void> {
    if (this.held.length > 0) return Promise.resolve();
    return new Promise((resolve) => (this.heldArrived = resolve));
  }

  /** Lets the held calls go on and answer. */
  release(): void {
    for (const proceed of this.held.splice(0)) proceed();
  }

  async charge(request: ChargeRequest, options: ProviderCallOptions = {}): Promise<ChargeResult> {
    this.chargeCalls.push(request);
    await this.misbehave(options.signal);
    let result = this.charges.get(request.idempotencyKey);
    if (result === undefined) {
      result =
        this.lastBehaviour === 'decline'
          ? { status: 'declined', code: 'PAYMENTS.CARD_DECLINED', reason: 'declined (scripted)' }
          : { status: 'succeeded', chargeId: randomUUID() };
      this.charges.set(request.idempotencyKey, result);
    }
    return result;
  }

  async refund(request: RefundRequest, options: ProviderCallOptions = {}): Promise<RefundResult> {
    this.refundCalls.push(request);
    await this.misbehave(options.signal);
    let result = this.refunds.get(request.idempotencyKey);
    if (result === undefined) {
      result = { refundId: randomUUID() };
      this.refunds.set(request.idempotencyKey, result);
    }
    return result;
  }

  private async misbehave(signal: AbortSignal | undefined): Promise<void> {
    const behaviour = this.script.shift() ?? 'answer';
    if (this.holdNext) {
      this.holdNext = false;
      await new Promise<void>((proceed) => {
        this.held.push(proceed);
        this.heldArrived?.();
      });
    }
    this.lastBehaviour = behaviour;
    if (behaviour === 'outage') throw new ScriptedOutageError();
    if (behaviour === 'hang') {
      await new Promise<never>((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    }
  }
}
