import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { Reservation } from '../domain/reservation.js';
import type { StockLine } from '../domain/stock-lines.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { ReservationRepository } from '../repositories/reservation.repository.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';
import { ProductCacheAside } from './product-cache-aside.js';

/** What one release did: whether the order had stock held, and the lines it put back now. */
export interface StockRelease {
  readonly released: boolean;
  readonly putBack: readonly StockLine[];
}

/**
 * For the orders context (compensation, and on `orders.v1.order-cancelled`): puts an order's
 * reserved stock back, exactly once however often it is asked. Releasing an order with no
 * reservation leaves a marker that refuses any later reserve for it, so a reserve delivered after
 * its own compensation takes nothing.
 */
@Injectable()
export class ReleaseStockService {
  constructor(
    private readonly products: ProductRepository,
    private readonly reservations: ReservationRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly cache: ProductCacheAside,
    private readonly clock: Clock,
  ) {}

  /** True when the order had a reservation, now released (by this call or an earlier one). */
  async release(orderId: string): Promise<boolean> {
    const outcome = await this.putBack(orderId);
    await this.forgetCached(outcome);
    return outcome.released;
  }

  /**
   * The release's database work, in the caller's transaction if there is one (an idempotent
   * consumer records its message in it). Call forgetCached once that transaction committed.
   */
  putBack(orderId: string): Promise<StockRelease> {
    const now = this.clock.now();
    return this.unitOfWork.run(async () => {
      // Locked, so two releases of one order run one after the other and only the first puts back.
      let reservation = await this.reservations.findByOrderIdForUpdate(orderId);
      if (!reservation) {
        if (
          await this.reservations.insertIfAbsent(Reservation.releasedBeforePlaced(orderId, now))
        ) {
          return { released: false, putBack: [] };
        }
        // A reserve committed in between: release what it took.
        reservation = await this.reservations.findByOrderIdForUpdate(orderId);
        if (!reservation) throw new Error(`reservation of order ${orderId} vanished`);
      }
      const lines = reservation.release(now);
      if (lines.length > 0) {
        await this.reservations.markReleased(reservation);
        await this.products.putBackStock(lines, now);
      }
      return { released: reservation.lines.length > 0, putBack: lines };
    });
  }

  /** After the commit: readers load the products whose stock came back. */
  forgetCached(release: StockRelease): Promise<void> {
    return this.cache.invalidate(release.putBack.map((line) => line.productId));
  }
}
