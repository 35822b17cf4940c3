import { randomUUID } from 'node:crypto';
import type { TransientFailure } from '#lib/resilience';
import {
  type ChargeLookupResult,
  type ChargeRequest,
  type ChargeResult,
  PaymentProvider,
  type ProviderCallOptions,
  type RefundRequest,
  type RefundResult,
} from '../services/ports/payment-provider.port.js';

/**
 * What the scripted provider does with one call: answer, decline, fail as an outage, hang until
 * aborted before doing anything, or do the work and then lose the answer (hang until aborted after
 * charging or refunding: the case idempotency keys and reconciliation exist for).
 */
export type ScriptedBehaviour = 'answer' | 'decline' | 'outage' | 'hang' | 'lose-answer';

function hangUntilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

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
  /** Idempotency keys of the charges looked up. */
  readonly lookUpCalls: string[] = [];
  private readonly charges = new Map<string, ChargeResult>();
  private readonly refunds = new Map<string, RefundResult>();
  private readonly script: ScriptedBehaviour[] = [];
  private fallback: ScriptedBehaviour = 'answer';
  private holdNext = false;
  private held: (() => void)[] = [];
  private heldArrived?: () => void;

  /** Appends behaviours for the next calls (charges and refunds alike). */
  willBehave(...behaviours: ScriptedBehaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** What every call does once the script has run out ('answer' unless told otherwise). */
  otherwise(behaviour: ScriptedBehaviour): this {
    this.fallback = behaviour;
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
    const behaviour = await this.misbehave(options.signal);
    let result = this.charges.get(request.idempotencyKey);
    if (result === undefined) {
      result =
        behaviour === 'decline'
          ? { status: 'declined', code: 'PAYMENTS.CARD_DECLINED', reason: 'declined (scripted)' }
          : { status: 'succeeded', chargeId: randomUUID() };
      this.charges.set(request.idempotencyKey, result);
    }
    if (behaviour === 'lose-answer') await hangUntilAborted(options.signal);
    return result;
  }

  async refund(request: RefundRequest, options: ProviderCallOptions = {}): Promise<RefundResult> {
    this.refundCalls.push(request);
    const behaviour = await this.misbehave(options.signal);
    let result = this.refunds.get(request.idempotencyKey);
    if (result === undefined) {
      result = { refundId: randomUUID() };
      this.refunds.set(request.idempotencyKey, result);
    }
    if (behaviour === 'lose-answer') await hangUntilAborted(options.signal);
    return result;
  }

  async lookUpCharge(
    idempotencyKey: string,
    options: ProviderCallOptions = {},
  ): Promise<ChargeLookupResult> {
    this.lookUpCalls.push(idempotencyKey);
    const behaviour = await this.misbehave(options.signal);
    const result = this.charges.get(idempotencyKey) ?? { status: 'not_found' };
    if (behaviour === 'lose-answer') await hangUntilAborted(options.signal);
    return result;
  }

  /** Before the work: holds, fails or hangs as scripted; returns the behaviour of this call. */
  private async misbehave(signal: AbortSignal | undefined): Promise<ScriptedBehaviour> {
    const behaviour = this.script.shift() ?? this.fallback;
    if (this.holdNext) {
      this.holdNext = false;
      await new Promise<void>((proceed) => {
        this.held.push(proceed);
        this.heldArrived?.();
      });
    }
    if (behaviour === 'outage') throw new ScriptedOutageError();
    if (behaviour === 'hang') await hangUntilAborted(signal);
    return behaviour;
  }
}
