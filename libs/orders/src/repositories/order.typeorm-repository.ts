import { Inject, Injectable, Optional } from '@nestjs/common';
import { TransactionRunner } from '#lib/database';
import { MESSAGING_OWNER } from '#lib/messaging';
import { In, type Repository } from 'typeorm';
import type { Order } from '../domain/order.js';
import { OrderConcurrentlyModifiedError } from '../domain/order.errors.js';
import { OrderLineRecord } from './order-line.record.js';
import { OrderMapper } from './order.mapper.js';
import { OrderRecord } from './order.record.js';
import {
  type AwaitingStockClaim,
  type OrderPosition,
  OrderRepository,
} from './order.repository.js';

/**
 * An order with its lines in one statement (ADR 0058): every payment, cancellation and shipment
 * reads its order for update, and TypeORM built, escaped and hydrated a SELECT of the order and
 * another of its lines each time. The lines come as JSON (a bigint in it is a JSON number: exact,
 * amounts being safe integers). Columns are named as OrderRecord's properties.
 */
const selectOrderWithLines = (lock: '' | 'FOR UPDATE OF o') => `
  SELECT o.id, o.customer_id AS "customerId", o.status, o.currency, o.total,
         o.requested_items AS "requestedItems", o.next_confirmation_at AS "nextConfirmationAt",
         o.confirmation_attempts AS "confirmationAttempts", o.owner, o.payment_id AS "paymentId",
         o.cancellation_reason AS "cancellationReason", o.version, o.created_at AS "createdAt",
         o.updated_at AS "updatedAt",
         COALESCE((SELECT json_agg(json_build_object(
                            'orderId', l.order_id, 'position', l.position,
                            'productId', l.product_id, 'sku', l.sku, 'name', l.name,
                            'unitPrice', l.unit_price, 'quantity', l.quantity)
                          ORDER BY l.position)
                     FROM orders.order_lines l WHERE l.order_id = o.id), '[]') AS lines
    FROM orders.orders o WHERE o.id = $1 ${lock}`;
const SELECT_ORDER = selectOrderWithLines('');
const SELECT_ORDER_FOR_UPDATE = selectOrderWithLines('FOR UPDATE OF o');

/** An order's state after a change, if nobody changed it since it was read (version $6 - 1). */
const UPDATE_ORDER_STATE = `
  UPDATE orders.orders
     SET status = $2, payment_id = $3, cancellation_reason = $4, next_confirmation_at = $5,
         version = $6, updated_at = $7
   WHERE id = $1 AND version = $6 - 1`;

type OrderRow = Omit<OrderRecord, 'total'> & {
  readonly total: string | null;
  readonly lines: OrderLineRecord[];
};

/**
 * Orders are stamped with the app that placed them (its SERVICE_NAME, shared by its replicas), and
 * the stock confirmer claims only its app's awaiting orders and the unowned ones placed before the
 * column: two stacks sharing a database never confirm each other's orders (docs/adr/0054).
 */
@Injectable()
export class TypeormOrderRepository extends OrderRepository {
  constructor(
    private readonly transactions: TransactionRunner,
    @Optional() @Inject(MESSAGING_OWNER) private readonly owner?: string,
  ) {
    super();
  }

  /** Resolved per call, so a call inside TransactionRunner.run joins its transaction. */
  private get orders(): Repository<OrderRecord> {
    return this.transactions.manager.getRepository(OrderRecord);
  }

  private get lines(): Repository<OrderLineRecord> {
    return this.transactions.manager.getRepository(OrderLineRecord);
  }

  async insert(order: Order): Promise<void> {
    await this.transactions.run(async () => {
      await this.orders.insert({ ...OrderMapper.toRecord(order), owner: this.owner ?? null });
      await this.lines.insert(OrderMapper.toLineRecords(order));
    });
  }

  findById(id: string): Promise<Order | null> {
    return this.findOne(SELECT_ORDER, id);
  }

  findByIdForUpdate(id: string): Promise<Order | null> {
    return this.findOne(SELECT_ORDER_FOR_UPDATE, id);
  }

  private async findOne(statement: string, id: string): Promise<Order | null> {
    const [row] = await this.transactions.manager.query<OrderRow[]>(statement, [id]);
    if (!row) return null;
    const { lines, total, ...record } = row;
    return OrderMapper.toDomain({ ...record, total: total === null ? null : Number(total) }, lines);
  }

  async update(order: Order): Promise<void> {
    const { status, paymentId, cancellationReason, version, updatedAt, nextConfirmationAt } =
      OrderMapper.toRecord(order);
    // Lines are fixed once priced; only the order's state changes. Written out, like the SELECT.
    const [, updated] = await this.transactions.manager.query<[unknown[], number]>(
      UPDATE_ORDER_STATE,
      [order.id, status, paymentId, cancellationReason, nextConfirmationAt, version, updatedAt],
    );
    if (updated !== 1) throw new OrderConcurrentlyModifiedError(order.id);
  }

  async updateConfirmed(order: Order): Promise<void> {
    await this.transactions.run(async () => {
      const record = OrderMapper.toRecord(order);
      const result = await this.orders
        .createQueryBuilder()
        .update(OrderRecord)
        .set({
          status: record.status,
          currency: record.currency,
          total: record.total,
          version: record.version,
          updatedAt: record.updatedAt,
          nextConfirmationAt: null,
        })
        .where("id = :id AND version = :readVersion AND status = 'awaiting_stock'", {
          id: order.id,
          readVersion: record.version - 1,
        })
        .execute();
      if (result.affected !== 1) throw new OrderConcurrentlyModifiedError(order.id);
      await this.lines.insert(OrderMapper.toLineRecords(order));
    });
  }

  async claimAwaitingStock(
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<AwaitingStockClaim[]> {
    // One statement, so one short transaction: rows locked by another confirmer are skipped, and
    // the lease (a later next_confirmation_at) keeps them out of every other claim once committed.
    // TypeORM answers an UPDATE as [returned rows, affected count].
    const [rows] = await this.transactions.manager.query<[{ id: string }[], number]>(
      `UPDATE orders.orders o
          SET next_confirmation_at = $2, confirmation_attempts = o.confirmation_attempts + 1
         FROM (SELECT id FROM orders.orders
                WHERE status = 'awaiting_stock' AND next_confirmation_at <= $1
                  AND ($4::text IS NULL OR owner IS NULL OR owner = $4)
                ORDER BY next_confirmation_at
                LIMIT $3
                FOR UPDATE SKIP LOCKED) due
        WHERE o.id = due.id
        RETURNING o.id`,
      [now, leaseUntil, limit, this.owner ?? null],
    );
    if (rows.length === 0) return [];
    const records = await this.orders.findBy({ id: In(rows.map((row) => row.id)) });
    return records
      .sort(
        (a, b) => (a.nextConfirmationAt?.getTime() ?? 0) - (b.nextConfirmationAt?.getTime() ?? 0),
      )
      .map((record) => ({
        // Awaiting orders have no lines yet.
        order: OrderMapper.toDomain(record, []),
        attempts: record.confirmationAttempts - 1,
      }));
  }

  async postponeConfirmation(orderId: string, until: Date): Promise<void> {
    await this.orders
      .createQueryBuilder()
      .update(OrderRecord)
      .set({ nextConfirmationAt: until })
      .where("id = :orderId AND status = 'awaiting_stock'", { orderId })
      .execute();
  }

  async awaitingStockBacklog(): Promise<{ count: number; oldestCreatedAt: Date | null }> {
    const [row] = await this.transactions.manager.query<{ count: number; oldest: Date | null }[]>(
      `SELECT count(*)::int AS count, min(created_at) AS oldest
         FROM orders.orders WHERE status = 'awaiting_stock'`,
    );
    return { count: row.count, oldestCreatedAt: row.oldest };
  }

  async listNewestFirst(
    filter: { readonly customerId?: string },
    after: OrderPosition | undefined,
    limit: number,
  ): Promise<Order[]> {
    const query = this.orders
      .createQueryBuilder('o')
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(limit);
    if (filter.customerId !== undefined) {
      query.andWhere('o.customer_id = :customerId', { customerId: filter.customerId });
    }
    // A row comparison, so the (…, created_at DESC, id DESC) indexes serve the seek directly.
    if (after) query.andWhere('(o.created_at, o.id) < (:createdAt, :id)', after);
    const records = await query.getMany();
    if (records.length === 0) return [];

    const lines = await this.lines.find({
      where: { orderId: In(records.map((record) => record.id)) },
    });
    const linesByOrder = new Map<string, OrderLineRecord[]>();
    for (const line of lines) {
      linesByOrder.set(line.orderId, [...(linesByOrder.get(line.orderId) ?? []), line]);
    }
    return records.map((record) => OrderMapper.toDomain(record, linesByOrder.get(record.id) ?? []));
  }
}
