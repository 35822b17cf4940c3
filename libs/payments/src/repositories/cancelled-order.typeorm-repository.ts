import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#lib/database';
import type { Repository } from 'typeorm';
import { CancelledOrderRecord } from './cancelled-order.record.js';
import { CancelledOrderRepository } from './cancelled-order.repository.js';

@Injectable()
export class TypeormCancelledOrderRepository extends CancelledOrderRepository {
  constructor(private readonly transactions: TransactionRunner) {
    super();
  }

  private get rows(): Repository<CancelledOrderRecord> {
    return this.transactions.manager.getRepository(CancelledOrderRecord);
  }

  async remember(orderId: string, customerId: string, now: Date): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .insert()
      .values({ orderId, customerId, cancelledAt: now })
      .orIgnore()
      .execute();
  }

  /** Written out (ADR 0058): every payment opened asks, and existsBy built a query each time. */
  async isCancelled(orderId: string): Promise<boolean> {
    const [{ cancelled }] = await this.transactions.manager.query<{ cancelled: boolean }[]>(
      'SELECT EXISTS (SELECT 1 FROM payments.cancelled_orders WHERE order_id = $1) AS cancelled',
      [orderId],
    );
    return cancelled;
  }
}
