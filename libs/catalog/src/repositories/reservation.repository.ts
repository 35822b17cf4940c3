import type { Reservation } from '../domain/reservation.js';

/** Reservations persistence port; it is also the DI token. One reservation per order. */
export abstract class ReservationRepository {
  /**
   * Records the reservation unless the order has one; false when it has. Under concurrency the
   * second of two inserts for one order waits for the first transaction and then returns false.
   */
  abstract insertIfAbsent(reservation: Reservation): Promise<boolean>;

  /** The order's reservation, locked until the transaction ends so releases run one at a time. */
  abstract findByOrderIdForUpdate(orderId: string): Promise<Reservation | null>;

  abstract findByOrderId(orderId: string): Promise<Reservation | null>;

  abstract markReleased(reservation: Reservation): Promise<void>;
}
