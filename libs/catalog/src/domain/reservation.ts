import { ReservationMismatchError, ReservationReleasedError } from './reservation.errors.js';
import { normaliseLines, sameLines, type StockLine } from './stock-lines.js';

/** Everything persisted about a reservation. */
export interface ReservationSnapshot {
  readonly orderId: string;
  /** Normalised: one line per product, sorted by product id. Empty for a tombstone. */
  readonly lines: readonly StockLine[];
  readonly createdAt: Date;
  readonly releasedAt: Date | null;
}

/**
 * The stock one order holds, recorded per order so that a repeated reserve takes nothing more and
 * a release puts back exactly what was taken, once. A released reservation is final: a reserve
 * that arrives after its order's release (a late retry, or messages out of order) is refused
 * rather than taking stock that no compensation would ever return.
 */
export class Reservation {
  private constructor(private state: ReservationSnapshot) {}

  static place(orderId: string, lines: readonly StockLine[], now: Date): Reservation {
    return new Reservation({
      orderId,
      lines: normaliseLines(lines),
      createdAt: now,
      releasedAt: null,
    });
  }

  /** Marks an order released before anything was reserved for it, to refuse a late reserve. */
  static releasedBeforePlaced(orderId: string, now: Date): Reservation {
    return new Reservation({ orderId, lines: [], createdAt: now, releasedAt: now });
  }

  static restore(snapshot: ReservationSnapshot): Reservation {
    return new Reservation({ ...snapshot, lines: snapshot.lines.map((line) => ({ ...line })) });
  }

  get orderId(): string {
    return this.state.orderId;
  }

  get lines(): readonly StockLine[] {
    return this.state.lines;
  }

  get productIds(): string[] {
    return this.state.lines.map((line) => line.productId);
  }

  get isReleased(): boolean {
    return this.state.releasedAt !== null;
  }

  /** Whether this reservation holds stock that a release would put back. */
  get holdsStock(): boolean {
    return !this.isReleased && this.state.lines.length > 0;
  }

  /**
   * This reservation exists already and `request` asks for it again: fine if it is the same
   * request (a retry), refused if the lines differ or the reservation was released.
   */
  assertRepeatedBy(request: Reservation): void {
    if (this.isReleased) throw new ReservationReleasedError(this.orderId);
    if (!sameLines(this.lines, request.lines)) throw new ReservationMismatchError(this.orderId);
  }

  /** Releases the reservation; returns the lines to put back on stock, none if it already was. */
  release(now: Date): readonly StockLine[] {
    if (this.isReleased) return [];
    this.state = { ...this.state, releasedAt: now };
    return this.state.lines;
  }

  toSnapshot(): ReservationSnapshot {
    return { ...this.state, lines: this.state.lines.map((line) => ({ ...line })) };
  }
}
