import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { Reservation } from '../domain/reservation.js';
import type { StockLine } from '../domain/stock-lines.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { ReservationRepository } from '../repositories/reservation.repository.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';
import { ProductCacheAside } from './product-cache-aside.js';

/**
 * For the orders context (compensation): puts an order's reserved stock back, exactly once however
 * often it is asked. Releasing an order with no reservation leaves a marker that refuses any
 * later reserve for it, so a reserve delivered after its own compensation takes nothing.
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
    const now = this.clock.now();
    const { released, putBack } = await this.unitOfWork.run(async () => {
      // Locked, so two releases of one order run one after the other and only the first puts back.
      let reservation = await this.reservations.findByOrderIdForUpdate(orderId);
      if (!reservation) {
        if (
          await this.reservations.insertIfAbsent(Reservation.releasedBeforePlaced(orderId, now))
        ) {
          return { released: false, putBack: [] as readonly StockLine[] };
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
    await this.cache.invalidate(putBack.map((line) => line.productId));
    return released;
  }
}
