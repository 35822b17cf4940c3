import type { PaymentSnapshot } from '../domain/payment.js';
import type { PaymentRecord } from './payment.record.js';

/**
 * The saga's hottest payment statements, written out (ADR 0058): every order inserts its payment,
 * then locks and updates it once or twice, and TypeORM's query builder built, escaped and hydrated each
 * anew. One list pairs the columns with PaymentSnapshot's properties, so the SELECTs name them as
 * the mapper expects and the INSERT's and UPDATE's parameters cannot drift from their column lists.
 * `owner` is not in it: only the insert writes it, last.
 */
const COLUMNS = [
  ['id', 'id'],
  ['order_id', 'orderId'],
  ['customer_id', 'customerId'],
  ['amount', 'amount'],
  ['currency', 'currency'],
  ['status', 'status'],
  ['attempts', 'attempts'],
  ['next_attempt_at', 'nextAttemptAt'],
  ['cancel_requested', 'cancelRequested'],
  ['provider_charge_id', 'providerChargeId'],
  ['provider_refund_id', 'providerRefundId'],
  ['failure_code', 'failureCode'],
  ['failure_reason', 'failureReason'],
  ['last_error', 'lastError'],
  ['correlation_id', 'correlationId'],
  ['traceparent', 'traceparent'],
  ['created_at', 'createdAt'],
  ['updated_at', 'updatedAt'],
  ['charged_at', 'chargedAt'],
  ['failed_at', 'failedAt'],
  ['cancelled_at', 'cancelledAt'],
  ['refunded_at', 'refundedAt'],
] as const satisfies readonly (readonly [string, keyof PaymentSnapshot])[];

const SELECTED = COLUMNS.map(([column, property]) => `${column} AS "${property}"`).join(', ');

/** A payments.payments row as the SELECTs below return it: pg gives the bigint as a string. */
export type PaymentRow = Omit<PaymentRecord, 'amount' | 'owner'> & { readonly amount: string };

export const LOCK_PAYMENT_BY_ORDER = `SELECT ${SELECTED} FROM payments.payments WHERE order_id = $1 FOR UPDATE`;

export const LOCK_PAYMENT_BY_ID = `SELECT ${SELECTED} FROM payments.payments WHERE id = $1 FOR UPDATE`;

/**
 * A worker's claim in one statement, so one short transaction of its own ($1 now, $2 the owner or
 * null for every app's, $3 the limit, $4 the lease's end): the due payments no other worker holds,
 * oldest due first, leased as Payment.startAttempt leases them, and returned as they were before.
 * Postgres runs the data-modifying WITH whether or not the outer query reads it. Only due work has a
 * next attempt (a charge, a refund, a reconciliation): see the table's CHECK.
 */
export const LEASE_DUE_PAYMENTS = `
  WITH due AS (
    SELECT ${SELECTED} FROM payments.payments
     WHERE next_attempt_at <= $1
       AND ($2::text IS NULL OR owner IS NULL OR owner = $2)
     ORDER BY next_attempt_at
     LIMIT $3
       FOR UPDATE SKIP LOCKED),
  leased AS (
    UPDATE payments.payments AS payment
       SET attempts = due."attempts" + 1, next_attempt_at = $4, updated_at = $1
      FROM due
     WHERE payment.id = due."id")
  SELECT * FROM due ORDER BY "nextAttemptAt"`;

/**
 * Every column and the owner last, from `insertParameters`. A payment already open for the order
 * (the unique order id) makes it insert nothing and return no row.
 */
export const INSERT_PAYMENT = `INSERT INTO payments.payments (${[...COLUMNS.map(([column]) => column), 'owner'].join(', ')})
  VALUES (${COLUMNS.map((_, index) => `$${index + 1}`).join(', ')}, $${COLUMNS.length + 1})
  ON CONFLICT DO NOTHING RETURNING id`;

export function insertParameters(payment: PaymentSnapshot, owner: string | null): unknown[] {
  return [...updateParameters(payment), owner];
}

/** Every column but the id ($1) and the owner, from `updateParameters`. */
export const UPDATE_PAYMENT = `UPDATE payments.payments SET ${COLUMNS.slice(1)
  .map(([column], index) => `${column} = $${index + 2}`)
  .join(', ')} WHERE id = $1`;

export function updateParameters(payment: PaymentSnapshot): unknown[] {
  return COLUMNS.map(([, property]) => payment[property]);
}
