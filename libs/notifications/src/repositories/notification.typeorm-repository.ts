import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#lib/database';
import type { Repository } from 'typeorm';
import type { Notification } from '../domain/notification.js';
import { NotificationMapper } from './notification.mapper.js';
import { NotificationRecord } from './notification.record.js';
import { type NotificationPosition, NotificationRepository } from './notification.repository.js';

/**
 * The delivery's two statements, written out (ADR 0058): every notification sent reads its row by
 * id and writes its outcome, and TypeORM built, escaped and hydrated both anew each time.
 */
const SELECT_BY_ID = `
  SELECT id, customer_id AS "customerId", event_id AS "eventId", template, subject, body, status,
         attempts, created_at AS "createdAt", sent_at AS "sentAt"
    FROM notifications.notifications WHERE id = $1`;
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

  async insert(notification: Notification): Promise<void> {
    await this.rows.insert(NotificationMapper.toRecord(notification));
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
