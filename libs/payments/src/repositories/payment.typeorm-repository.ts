import { Inject, Injectable, Optional } from '@nestjs/common';
import { TransactionRunner } from '#lib/database';
import { MESSAGING_OWNER } from '#lib/messaging';
import type { Repository } from 'typeorm';
import type { Payment } from '../domain/payment.js';
import { PaymentMapper } from './payment.mapper.js';
import { PaymentRecord } from './payment.record.js';
import { PaymentRepository } from './payment.repository.js';
import {
  INSERT_PAYMENT,
  insertParameters,
  LEASE_DUE_PAYMENTS,
  LOCK_PAYMENT_BY_ID,
  LOCK_PAYMENT_BY_ORDER,
  type PaymentRow,
  UPDATE_PAYMENT,
  updateParameters,
} from './payment.statements.js';

// A transaction-scoped advisory lock on the order id: it exists before the payment row does.
const LOCK_ORDER = `SELECT pg_advisory_xact_lock(hashtextextended('payments.order:' || $1, 0))`;

/**
 * Payments are stamped with the app that opened them (its SERVICE_NAME, shared by its replicas),
 * and a worker locks only its app's due payments and the unowned ones opened before the column:
 * two stacks sharing a database never charge each other's orders (docs/adr/0054).
 */
@Injectable()
export class TypeormPaymentRepository extends PaymentRepository {
  constructor(
    private readonly transactions: TransactionRunner,
    @Optional() @Inject(MESSAGING_OWNER) private readonly owner?: string,
  ) {
    super();
  }

  /** Resolved per call, so a call inside TransactionRunner.run joins its transaction. */
  private get rows(): Repository<PaymentRecord> {
    return this.transactions.manager.getRepository(PaymentRecord);
  }

  async lockOrder(orderId: string): Promise<void> {
    await this.transactions.manager.query(LOCK_ORDER, [orderId]);
  }

  async lockByOrderId(orderId: string): Promise<Payment | null> {
    await this.lockOrder(orderId);
    return this.lockOne(LOCK_PAYMENT_BY_ORDER, orderId);
  }

  lockById(id: string): Promise<Payment | null> {
    return this.lockOne(LOCK_PAYMENT_BY_ID, id);
  }

  private async lockOne(statement: string, key: string): Promise<Payment | null> {
    const [row] = await this.transactions.manager.query<PaymentRow[]>(statement, [key]);
    return row ? toPayment(row) : null;
  }

  async leaseDue(now: Date, limit: number, leaseUntil: Date): Promise<Payment[]> {
    // A repository without an owner (a tool, a test) works every app's payments.
    const rows = await this.transactions.manager.query<PaymentRow[]>(LEASE_DUE_PAYMENTS, [
      now,
      this.owner ?? null,
      limit,
      leaseUntil,
    ]);
    return rows.map(toPayment);
  }

  async dueBacklog(now: Date): Promise<{ count: number; oldestDueAt: Date | null }> {
    const [row] = await this.transactions.manager.query<{ count: number; oldest: Date | null }[]>(
      `SELECT count(*)::int AS count, min(next_attempt_at) AS oldest
         FROM payments.payments WHERE next_attempt_at <= $1`,
      [now],
    );
    return { count: row.count, oldestDueAt: row.oldest };
  }

  async findByOrderId(orderId: string): Promise<Payment | null> {
    const record = await this.rows.findOneBy({ orderId });
    return record ? PaymentMapper.toDomain(record) : null;
  }

  async insert(payment: Payment): Promise<boolean> {
    const inserted = await this.transactions.manager.query<unknown[]>(
      INSERT_PAYMENT,
      insertParameters(payment.toSnapshot(), this.owner ?? null),
    );
    return inserted.length > 0;
  }

  async update(payment: Payment): Promise<void> {
    await this.transactions.manager.query(UPDATE_PAYMENT, updateParameters(payment.toSnapshot()));
  }
}

function toPayment(row: PaymentRow): Payment {
  return PaymentMapper.toDomain({ ...row, amount: Number(row.amount) });
}
