import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { Reservation } from '../domain/reservation.js';
import type { StockLine } from '../domain/stock-lines.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { ReservationRepository } from '../repositories/reservation.repository.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';
import { ProductCacheAside } from './product-cache-aside.js';
import { stockFailureError } from './stock-failure-error.js';

/**
 * For the orders context: takes an order's lines off stock, all or none, in one transaction.
 * The reservation row is written first: it serialises concurrent requests for one order (the
 * second waits on the first's insert), which makes a repeated request take nothing more.
 */
@Injectable()
export class ReserveStockService {
  constructor(
    private readonly products: ProductRepository,
    private readonly reservations: ReservationRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly cache: ProductCacheAside,
    private readonly clock: Clock,
  ) {}

  /**
   * Throws InsufficientStockError or ProductsUnavailableError (nothing reserved),
   * ReservationMismatchError (the order holds other lines) or ReservationReleasedError.
   */
  async reserve(command: { orderId: string; items: readonly StockLine[] }): Promise<void> {
    const now = this.clock.now();
    const reservation = Reservation.place(command.orderId, command.items, now);
    const tookStock = await this.unitOfWork.run(async () => {
      if (!(await this.reservations.insertIfAbsent(reservation))) {
        const existing = await this.reservations.findByOrderId(command.orderId);
        if (!existing) throw new Error(`reservation of order ${command.orderId} vanished`);
        existing.assertRepeatedBy(reservation);
        return false;
      }
      const { failures } = await this.products.withdrawStock(reservation.lines, now);
      // Throwing rolls back the reservation row and every line already withdrawn.
      if (failures.length > 0) throw stockFailureError(failures);
      return true;
    });
    if (tookStock) await this.cache.invalidate(reservation.productIds);
  }
}
