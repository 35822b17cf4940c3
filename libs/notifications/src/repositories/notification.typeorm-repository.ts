import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#lib/database';
import type { Repository } from 'typeorm';
import type { Notification } from '../domain/notification.js';
import { NotificationMapper } from './notification.mapper.js';
import { NotificationRecord } from './notification.record.js';
import { type NotificationPosition, NotificationRepository } from './notification.repository.js';

/**
 * The statements of every notification, written out (ADR 0058): each is inserted once, read by id
 * and its delivery written, and TypeORM built, escaped and hydrated each anew every time.
 */
const SELECT_BY_ID = `
  SELECT id, customer_id AS "customerId", event_id AS "eventId", template, subject, body, status,
         attempts, created_at AS "createdAt", sent_at AS "sentAt"
    FROM notifications.notifications WHERE id = $1`;
// ON CONFLICT names the (event, template) key alone: a clash of ids is a bug and must fail.
const INSERT_IF_ABSENT = `
  INSERT INTO notifications.notifications
         (id, customer_id, event_id, template, subject, body, status, attempts, created_at, sent_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  ON CONFLICT (event_id, template) DO NOTHING
  RETURNING id`;
const SAVE_DELIVERY = `
  UPDATE notifications.notifications SET status = $2, attempts = $3, sent_at = $4 WHERE id = $1`;

@Injectable()
export class TypeormNotificationRepository extends NotificationRepository {
  constructor(private readonly transactions: TransactionRunner) {
    super();
  }

  /** Resolved per call, so a call inside TransactionRunner.run joins its transaction. */
  private get rows(): Repository<NotificationRecord> {
    return this.transactions.manager.getRepository(NotificationRecord);
  }

  async insertIfAbsent(notification: Notification): Promise<boolean> {
    const row = NotificationMapper.toRecord(notification);
    const inserted = await this.transactions.manager.query<unknown[]>(INSERT_IF_ABSENT, [
      row.id,
      row.customerId,
      row.eventId,
      row.template,
      row.subject,
      row.body,
      row.status,
      row.attempts,
      row.createdAt,
      row.sentAt,
    ]);
    return inserted.length > 0;
  }

  async findById(id: string): Promise<Notification | null> {
    const [row] = await this.transactions.manager.query<NotificationRecord[]>(SELECT_BY_ID, [id]);
    return row ? NotificationMapper.toDomain(row) : null;
  }

  async findByEvent(eventId: string, template: string): Promise<Notification | null> {
    const record = await this.rows.findOneBy({ eventId, template });
    return record ? NotificationMapper.toDomain(record) : null;
  }

  async saveDelivery(notification: Notification): Promise<void> {
    const { id, status, attempts, sentAt } = notification.toSnapshot();
    await this.transactions.manager.query(SAVE_DELIVERY, [id, status, attempts, sentAt]);
  }

  async listForCustomer(
    customerId: string,
    before: NotificationPosition | undefined,
    limit: number,
  ): Promise<Notification[]> {
    const query = this.rows
      .createQueryBuilder('n')
      .where('n.customer_id = :customerId', { customerId })
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(limit);
    // A row comparison, so the (customer_id, created_at, id) index serves the seek directly.
    if (before) query.andWhere('(n.created_at, n.id) < (:createdAt, :id)', before);
    const records = await query.getMany();
    return records.map((record) => NotificationMapper.toDomain(record));
  }
}
