import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import {
  priceBasket,
  type PricedBasket,
  type PricedLine,
  priceHeldBasket,
} from '../domain/basket.js';
import type { Money } from '../domain/money.js';
import { Reservation } from '../domain/reservation.js';
import type { StockLine } from '../domain/stock-lines.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { ReservationRepository } from '../repositories/reservation.repository.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';
import { ProductCacheAside } from './product-cache-aside.js';
import { stockFailureError } from './stock-failure-error.js';

/** An order's basket, priced, with its stock held: every line is on it. */
export interface ReservedBasket {
  readonly lines: readonly PricedLine[];
  readonly total: Money;
}

/**
 * For the orders context, the one request that places an order needs: prices the basket and takes
 * its lines off stock in ONE transaction, so the prices are those of the rows the stock came from
 * and a refusal (unknown, inactive, short, mixed currencies) leaves nothing behind.
 *
 * Idempotent per order like ReserveStockService: the reservation row is written first and
 * serialises concurrent requests for one order. A repeat takes nothing more and prices the held
 * lines whatever happened to their products since (priceHeldBasket), so a retry whose first reply
 * was lost is never told "unavailable" about stock its order holds.
 */
@Injectable()
export class PriceAndReserveBasketService {
  constructor(
    private readonly products: ProductRepository,
    private readonly reservations: ReservationRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly cache: ProductCacheAside,
    private readonly clock: Clock,
  ) {}

  /**
   * Throws ProductsUnavailableError or InsufficientStockError (nothing held), MixedCurrenciesError,
   * ReservationMismatchError (the order holds other lines) or ReservationReleasedError.
   */
  async priceAndReserve(command: {
    orderId: string;
    items: readonly StockLine[];
  }): Promise<ReservedBasket> {
    const now = this.clock.now();
    const reservation = Reservation.place(command.orderId, command.items, now);
    const { basket, tookStock } = await this.unitOfWork.run(async () => {
      if (!(await this.reservations.insertIfAbsent(reservation))) {
        const existing = await this.reservations.findByOrderId(command.orderId);
        if (!existing) throw new Error(`reservation of order ${command.orderId} vanished`);
        existing.assertRepeatedBy(reservation);
        const held = priceHeldBasket(
          command.items,
          await this.products.findByIds(reservation.productIds),
        );
        return { basket: held, tookStock: false };
      }
      const withdrawal = await this.products.withdrawStock(reservation.lines, now);
      // Throwing rolls back the reservation row and every line already withdrawn.
      if (withdrawal.failures.length > 0) throw stockFailureError(withdrawal.failures);
      // The rows the stock came from, locked by the withdrawal: no price changes before the commit.
      return { basket: priceBasket(command.items, withdrawal.products), tookStock: true };
    });
    if (tookStock) await this.cache.invalidate(reservation.productIds);
    return reserved(command.orderId, basket);
  }
}

/** The basket as reserved; a product that vanished under a held reservation is a broken invariant. */
function reserved(orderId: string, basket: PricedBasket): ReservedBasket {
  const missing = [...basket.unknownProductIds, ...basket.inactiveProductIds];
  if (missing.length > 0 || !basket.total) {
    throw new Error(
      `order ${orderId} holds stock of products that cannot be priced: ${missing.join(', ')}`,
    );
  }
  return { lines: basket.lines, total: basket.total };
}
