import { Reservation } from '../domain/reservation.js';
import { ReservationRecord } from './reservation.record.js';

export const ReservationMapper = {
  toDomain(record: ReservationRecord): Reservation {
    return Reservation.restore({
      orderId: record.orderId,
      lines: record.lines,
      createdAt: record.createdAt,
      releasedAt: record.releasedAt,
    });
  },

  toRecord(reservation: Reservation): ReservationRecord {
    const snapshot = reservation.toSnapshot();
    return Object.assign(new ReservationRecord(), { ...snapshot, lines: [...snapshot.lines] });
  },
};
