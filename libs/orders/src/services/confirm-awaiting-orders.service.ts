import { Clock } from '#lib/kernel';
import { Injectable, Logger } from '@nestjs/common';
import type { OrderCancellationReason } from '#lib/contracts';
import { EventPublisher } from '#lib/messaging';
import { CatalogClient, type PricedBasket } from '../clients/catalog.client.js';
import { CatalogUnavailableError } from '../clients/catalog-unavailable.error.js';
import type { Order } from '../domain/order.js';
import { InvalidOrderError } from '../domain/order.errors.js';
import {
  MixedCurrenciesError,
  OutOfStockError,
  ProductsUnavailableError,
} from '../domain/placement.errors.js';
import { OrderRepository } from '../repositories/order.repository.js';
import { toIntegrationEvent } from './order-integration-events.js';
import { OrdersSettings } from './orders-settings.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';

export interface ConfirmationRound {
  /** Priced and reserved: now pending payment, announced as placed. */
  readonly confirmed: number;
  /** Refused by the catalog: cancelled, the customer told why. */
  readonly cancelled: number;
  /** The catalog gave no answer (or something unexpected failed): tried again after a pause. */
  readonly postponed: number;
  /** Cancelled by its customer meanwhile: nothing to do. */
  readonly skipped: number;
}

type Outcome = Exclude<keyof ConfirmationRound, 'postponed'> | 'unanswered';

const BATCH = 20;
const FIRST_BACKOFF_MS = 1_000;

/**
 * Brings orders accepted `awaiting_stock` (the catalog gave no answer when they were placed) to an
 * end: claims a bounded batch, asks the catalog to price and reserve each under its own order id
 * (idempotent: a reserve whose reply was lost is answered again, nothing is taken twice), then
 * - on success, in ONE transaction with the order locked: priced lines, `pending_payment`, and
 *   `orders.v1.order-placed` in the outbox, so payments charges it as usual;
 * - on a definite refusal: cancelled (`out_of_stock`, `products_unavailable`), which tells the
 *   customer and releases whatever the order id holds;
 * - on no answer: postponed with a capped, doubling pause, it and the rest of the batch (the
 *   catalog would keep them waiting too). It never gives up: the oldest awaiting order's age is a
 *   metric with an alert.
 *
 * A customer may cancel an awaiting order at any time. If that happens while the catalog reserves
 * it, the locked re-read finds it cancelled and leaves it: its cancellation event makes the catalog
 * release the order id, which puts back a reservation made before and refuses one made after.
 */
@Injectable()
export class ConfirmAwaitingOrdersService {
  private readonly logger = new Logger(ConfirmAwaitingOrdersService.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly catalog: CatalogClient,
    private readonly events: EventPublisher,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly settings: OrdersSettings,
  ) {}

  async confirmDue(): Promise<ConfirmationRound> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.settings.stockConfirmationLeaseMs);
    const claims = await this.orders.claimAwaitingStock(now, leaseUntil, BATCH);
    const round = { confirmed: 0, cancelled: 0, postponed: 0, skipped: 0 };
    for (const [index, { order, attempts }] of claims.entries()) {
      const outcome = await this.tryToConfirm(order);
      if (outcome === 'unanswered') {
        const until = new Date(this.clock.now().getTime() + this.backoffMs(attempts));
        const waiting = claims.slice(index);
        for (const claim of waiting) await this.orders.postponeConfirmation(claim.order.id, until);
        round.postponed += waiting.length;
        break;
      }
      round[outcome] += 1;
    }
    return round;
  }

  /** 1 s, 2 s, 4 s... up to the configured maximum. */
  backoffMs(attemptsBefore: number): number {
    const doubled = FIRST_BACKOFF_MS * 2 ** Math.min(attemptsBefore, 30);
    return Math.min(doubled, this.settings.stockConfirmationMaxBackoffMs);
  }

  private async tryToConfirm(order: Order): Promise<Outcome> {
    let basket: PricedBasket;
    try {
      basket = await this.catalog.priceAndReserve(order.id, order.requestedItems);
    } catch (error) {
      const reason = refusalReason(error);
      if (reason !== null) return this.cancelRefused(order.id, reason);
      if (!(error instanceof CatalogUnavailableError)) {
        // E.g. the reservation was released because the order was cancelled meanwhile: the next
        // round no longer finds it awaiting. Anything else shows in the awaiting age metric.
        this.logger.error(
          { err: error, orderId: order.id },
          `unexpected answer confirming the stock of order ${order.id}; trying again later`,
        );
      }
      return 'unanswered';
    }
    try {
      return await this.confirm(order.id, basket);
    } catch (error) {
      this.logger.error(
        { err: error, orderId: order.id },
        `could not save the confirmed stock of order ${order.id}; trying again later`,
      );
      return 'unanswered';
    }
  }

  private confirm(orderId: string, basket: PricedBasket): Promise<Outcome> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findByIdForUpdate(orderId);
      // Cancelled meanwhile: its cancellation releases the order id at the catalog.
      if (!order || order.status !== 'awaiting_stock') return 'skipped';
      order.confirmStock(basket, this.clock.now());
      await this.orders.updateConfirmed(order);
      await this.events.publish(order.pullEvents().map(toIntegrationEvent));
      return 'confirmed';
    });
  }

  private cancelRefused(orderId: string, reason: OrderCancellationReason): Promise<Outcome> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findByIdForUpdate(orderId);
      if (!order || order.status !== 'awaiting_stock') return 'skipped';
      order.cancel(reason, this.clock.now());
      await this.orders.update(order);
      await this.events.publish(order.pullEvents().map(toIntegrationEvent));
      this.logger.log({ orderId, reason }, `cancelled order ${orderId} awaiting stock: ${reason}`);
      return 'cancelled';
    });
  }
}

/** The catalog's definite refusals, as the cancellation reason the customer is told. */
function refusalReason(error: unknown): OrderCancellationReason | null {
  if (error instanceof OutOfStockError) return 'out_of_stock';
  // Unknown or inactive products, or products that cannot share one order's currency.
  if (
    error instanceof ProductsUnavailableError ||
    error instanceof MixedCurrenciesError ||
    error instanceof InvalidOrderError
  ) {
    return 'products_unavailable';
  }
  return null;
}
