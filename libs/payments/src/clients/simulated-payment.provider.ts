import { randomUUID } from 'node:crypto';
import { type Random, sleep } from '#lib/resilience';
import type { DataSource } from 'typeorm';
import { PAYMENT_FAILURE_CODES } from '../domain/payment-failure-codes.js';
import {
  type ChargeLookupResult,
  type ChargeRequest,
  type ChargeResult,
  PaymentProvider,
  type ProviderCallOptions,
  type RefundRequest,
  type RefundResult,
} from '../services/ports/payment-provider.port.js';
import {
  IdempotencyKeyReusedError,
  SimulatedProviderOutageError,
  UnknownChargeError,
} from './simulated-payment-provider.errors.js';
import type { SimulatedPaymentProviderOptions } from './simulated-payment-provider.options.js';

interface ChargeRow {
  charge_id: string;
  amount: string;
  currency: string;
  outcome: 'succeeded' | 'declined';
  decline_code: string | null;
}

const RECORD_CHARGE = `
  INSERT INTO payments.simulated_provider_charges
         (idempotency_key, charge_id, reference, customer_id, amount, currency, outcome, decline_code)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING charge_id, amount, currency, outcome, decline_code`;

const FIND_CHARGE = `
  SELECT charge_id, amount, currency, outcome, decline_code
    FROM payments.simulated_provider_charges
   WHERE idempotency_key = $1`;

// A charge is refunded once: the first refund's id is kept and returned to every later request.
// (Wrapped in a SELECT because TypeORM returns [rows, count] for a bare UPDATE.)
const RECORD_REFUND = `
  WITH refunded AS (
    UPDATE payments.simulated_provider_charges
       SET refund_id = COALESCE(refund_id, $2),
           refund_idempotency_key = COALESCE(refund_idempotency_key, $3),
           refunded_at = COALESCE(refunded_at, clock_timestamp())
     WHERE charge_id = $1 AND outcome = 'succeeded'
    RETURNING refund_id
  )
  SELECT refund_id FROM refunded`;

/** How long an unanswered call hangs when nobody aborts it. */
const UNANSWERED_CALL_MS = 5 * 60_000;

const DECLINE_REASON = 'The card was declined (simulated)';

/**
 * A payment provider simulated in process, with configurable latency and failures (see
 * SimulatedPaymentProviderOptions). Like a real provider it honours idempotency keys: a repeated
 * key returns the first result and never charges twice. Its ledger is the table
 * `payments.simulated_provider_charges`, so the guarantee holds across restarts and across
 * replicas (an in-memory map would give each replica its own provider). The ledger is the
 * provider's, not ours: payments code never reads it; tests do, to count real charges.
 */
export class SimulatedPaymentProvider extends PaymentProvider {
  private calls = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: SimulatedPaymentProviderOptions,
    private readonly random: Random = Math.random,
  ) {
    super();
  }

  async charge(
    request: ChargeRequest,
    { signal }: ProviderCallOptions = {},
  ): Promise<ChargeResult> {
    await this.receive(signal);
    const declined = this.random() < this.options.declineRate;
    const result = await this.recordCharge(request, declined);
    await this.maybeLoseTheAnswer(signal);
    return result;
  }

  async refund(
    request: RefundRequest,
    { signal }: ProviderCallOptions = {},
  ): Promise<RefundResult> {
    await this.receive(signal);
    const rows = await this.dataSource.query<{ refund_id: string }[]>(RECORD_REFUND, [
      request.chargeId,
      randomUUID(),
      request.idempotencyKey,
    ]);
    const [row] = rows;
    if (row === undefined) throw new UnknownChargeError(request.chargeId);
    await this.maybeLoseTheAnswer(signal);
    return { refundId: row.refund_id };
  }

  async lookUpCharge(
    idempotencyKey: string,
    { signal }: ProviderCallOptions = {},
  ): Promise<ChargeLookupResult> {
    await this.receive(signal);
    const [row] = await this.dataSource.query<ChargeRow[]>(FIND_CHARGE, [idempotencyKey]);
    await this.maybeLoseTheAnswer(signal);
    return row === undefined ? { status: 'not_found' } : toChargeResult(row);
  }

  /** The network and the provider's front door: latency, then perhaps an outage. */
  private async receive(signal: AbortSignal | undefined): Promise<void> {
    this.calls += 1;
    const call = this.calls;
    await sleep(this.options.latencyMs, signal);
    if (call <= this.options.outageFirstCalls || this.random() < this.options.outageRate) {
      throw new SimulatedProviderOutageError();
    }
  }

  /** Processed, but the answer is lost on its way back: the caller can only time out. */
  private async maybeLoseTheAnswer(signal: AbortSignal | undefined): Promise<void> {
    if (this.random() >= this.options.timeoutRate) return;
    await sleep(UNANSWERED_CALL_MS, signal);
    throw new SimulatedProviderOutageError('the payment provider never answered (simulated)');
  }

  private async recordCharge(request: ChargeRequest, declined: boolean): Promise<ChargeResult> {
    const inserted = await this.dataSource.query<ChargeRow[]>(RECORD_CHARGE, [
      request.idempotencyKey,
      randomUUID(),
      request.reference,
      request.customerId,
      request.amount,
      request.currency,
      declined ? 'declined' : 'succeeded',
      declined ? PAYMENT_FAILURE_CODES.CARD_DECLINED : null,
    ]);
    // Nothing inserted: the key was seen before, by this call's earlier attempt or a concurrent one.
    const row =
      inserted[0] ??
      (await this.dataSource.query<ChargeRow[]>(FIND_CHARGE, [request.idempotencyKey]))[0];
    if (row === undefined) throw new Error(`charge ${request.idempotencyKey} vanished`);
    if (Number(row.amount) !== request.amount || row.currency.trim() !== request.currency) {
      throw new IdempotencyKeyReusedError(request.idempotencyKey);
    }
    return toChargeResult(row);
  }
}

/** The answer the provider gives for a charge in its ledger, first time or looked up later. */
function toChargeResult(row: ChargeRow): ChargeResult {
  return row.outcome === 'succeeded'
    ? { status: 'succeeded', chargeId: row.charge_id }
    : {
        status: 'declined',
        code: row.decline_code ?? PAYMENT_FAILURE_CODES.CARD_DECLINED,
        reason: DECLINE_REASON,
      };
}
