import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#lib/database';
import type { Repository } from 'typeorm';
import type { Reservation } from '../domain/reservation.js';
import { ReservationMapper } from './reservation.mapper.js';
import { ReservationRecord } from './reservation.record.js';
import { ReservationRepository } from './reservation.repository.js';

@Injectable()
export class TypeormReservationRepository extends ReservationRepository {
  constructor(private readonly transactions: TransactionRunner) {
    super();
  }

  /** Resolved per call, so a call inside TransactionRunner.run joins its transaction. */
  private get rows(): Repository<ReservationRecord> {
    return this.transactions.manager.getRepository(ReservationRecord);
  }

  async insertIfAbsent(reservation: Reservation): Promise<boolean> {
    // ON CONFLICT DO NOTHING waits for a concurrent insert of the same order to commit or roll
    // back, so exactly one of two racing reserves goes on to take stock.
    const result = await this.rows
      .createQueryBuilder()
      .insert()
      .into(ReservationRecord)
      .values(ReservationMapper.toRecord(reservation))
      .orIgnore()
      .returning('order_id')
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  async findByOrderIdForUpdate(orderId: string): Promise<Reservation | null> {
    const record = await this.rows
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.order_id = :orderId', { orderId })
      .getOne();
    return record ? ReservationMapper.toDomain(record) : null;
  }

  async findByOrderId(orderId: string): Promise<Reservation | null> {
    const record = await this.rows.findOneBy({ orderId });
    return record ? ReservationMapper.toDomain(record) : null;
  }

  async markReleased(reservation: Reservation): Promise<void> {
    const { releasedAt } = reservation.toSnapshot();
    await this.rows.update({ orderId: reservation.orderId }, { releasedAt });
  }
}
