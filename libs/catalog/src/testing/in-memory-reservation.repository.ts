import { Reservation } from '../domain/reservation.js';
import { ReservationRepository } from '../repositories/reservation.repository.js';

const copy = (reservation: Reservation): Reservation =>
  Reservation.restore(reservation.toSnapshot());

export class InMemoryReservationRepository extends ReservationRepository {
  private rows = new Map<string, Reservation>();

  async insertIfAbsent(reservation: Reservation): Promise<boolean> {
    if (this.rows.has(reservation.orderId)) return false;
    this.rows.set(reservation.orderId, copy(reservation));
    return true;
  }

  async findByOrderIdForUpdate(orderId: string): Promise<Reservation | null> {
    return this.findByOrderId(orderId);
  }

  async findByOrderId(orderId: string): Promise<Reservation | null> {
    const row = this.rows.get(orderId);
    return row ? copy(row) : null;
  }

  async markReleased(reservation: Reservation): Promise<void> {
    this.rows.set(reservation.orderId, copy(reservation));
  }

  /** For the transactional unit of work fake. */
  snapshot(): () => void {
    const saved = new Map([...this.rows].map(([id, reservation]) => [id, copy(reservation)]));
    return () => {
      this.rows = saved;
    };
  }
}
