import { Clock } from '#lib/kernel';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { EventPublisher } from '#lib/messaging';
import { CatalogClient } from '../clients/catalog.client.js';
import { CatalogUnavailableError } from '../clients/catalog-unavailable.error.js';
import { IdempotencyKey } from '../domain/idempotency-key.js';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
} from '../domain/idempotency.errors.js';
import { Order } from '../domain/order.js';
import { OutOfStockError, ProductsUnavailableError } from '../domain/placement.errors.js';
import { mergeRequestedItems, type RequestedItem } from '../domain/requested-items.js';
import { requestFingerprint } from '../domain/request-fingerprint.js';
import {
  IdempotencyClaimLostError,
  type IdempotencyRecord,
  IdempotencyKeyRepository,
  type NewClaim,
} from '../repositories/idempotency-key.repository.js';
import { OrderRepository } from '../repositories/order.repository.js';
import { toIntegrationEvent } from './order-integration-events.js';
import { type OrderView, toOrderView } from './order.view.js';
import { OrdersSettings } from './orders-settings.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';

export interface PlaceOrderCommand {
  readonly customerId: string;
  /** The raw `Idempotency-Key` header; required. */
  readonly idempotencyKey: string | undefined;
  readonly items: readonly RequestedItem[];
}

export interface PlaceOrderResult {
  /**
   * 201 for a new order, 202 for one accepted while the catalog gave no answer (awaiting_stock),
   * or the status the first request with this key got.
   */
  readonly status: number;
  readonly order: OrderView;
  /** True when this is the stored response of an earlier request with the same key. */
  readonly replayed: boolean;
}

const CREATED = 201;
const ACCEPTED = 202;

/**
 * Places an order exactly once per idempotency key:
 *
 * 1. claim the key (its own committed insert; the unique (customer, key) pair picks one winner
 *    among concurrent requests, the others wait for its result and replay it);
 * 2. price the basket and reserve its stock through the catalog in ONE request
 *    (`catalog.v1.basket.price-and-reserve`), under the order id the claim holds;
 * 3. in ONE transaction: save the order `pending_payment`, publish `orders.v1.order-placed` to the
 *    outbox and store the response on the key.
 *
 * When the catalog gives no answer at all (CatalogUnavailableError: timeout, broker down, breaker
 * open), step 3 saves the order `awaiting_stock` instead, with the items asked for and no prices,
 * and answers 202: the stock confirmer reserves and prices it under the same order id once the
 * catalog answers (ADR 0044). Whatever a lost reply may have reserved stays with that order id.
 * A definite refusal (out of stock, unknown products) still fails the request.
 *
 * Every failure after the reservation may have happened releases it (compensation; the release is
 * idempotent). Failed requests are not remembered: nothing was placed, so a retry with the same key
 * simply tries again. If the release itself fails, the claim is kept: once its lease runs out the
 * sweeper (or a retry with the same key) fences the claim, so that a request still alive cannot
 * save it any more, and then releases that order id's stock before reusing the key.
 */
@Injectable()
export class PlaceOrderService {
  private readonly logger = new Logger(PlaceOrderService.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly catalog: CatalogClient,
    private readonly events: EventPublisher,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly settings: OrdersSettings,
  ) {}

  async place(command: PlaceOrderCommand): Promise<PlaceOrderResult> {
    const key = IdempotencyKey.parse(command.idempotencyKey).value;
    // The body as the client sent it (before merging repeated products): a retry sends the same.
    const requestHash = requestFingerprint({ items: command.items });
    // A real wait, bounded on the monotonic clock: the injected Clock is the domain's time (a
    // fixed clock in tests would never let this wait end).
    const waitUntil = performance.now() + this.settings.idempotencyWaitMs;

    for (;;) {
      const claim = this.newClaim(command.customerId, key, requestHash);
      const outcome = await this.idempotencyKeys.claim(claim);
      if (outcome.claimed) return this.placeClaimed(command, claim);

      const existing = outcome.existing;
      if (this.isAbandoned(existing, claim.now)) {
        // Its request died mid-way, or is too slow to be waited for. Fence it first, so that it can
        // no longer save its order; only then undo what it may have reserved and take the key over.
        // (Released first, a slow request could save an order whose stock was given back.)
        if (
          (await this.idempotencyKeys.fence(existing.customerId, existing.key, existing.orderId)) &&
          (await this.releaseThenTakeOver(existing.orderId, claim))
        ) {
          return this.placeClaimed(command, claim);
        }
        continue;
      }
      if (existing.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      if (existing.response !== null) {
        return {
          status: existing.response.status,
          order: existing.response.body as OrderView,
          replayed: true,
        };
      }
      // A concurrent request with this key is under way: wait for its response.
      if (performance.now() >= waitUntil) throw new IdempotencyKeyInProgressError();
      await sleep(this.settings.idempotencyPollIntervalMs);
    }
  }

  private async releaseThenTakeOver(previousOrderId: string, claim: NewClaim): Promise<boolean> {
    await this.catalog.releaseStock(previousOrderId);
    return this.idempotencyKeys.takeOver(previousOrderId, claim);
  }

  private async placeClaimed(
    command: PlaceOrderCommand,
    claim: NewClaim,
  ): Promise<PlaceOrderResult> {
    const { customerId, key, orderId } = claim;
    let reserveAttempted = false;
    let order: Order;
    try {
      const items = mergeRequestedItems(command.items);
      reserveAttempted = true;
      try {
        // One attempt: with no answer the order is accepted awaiting stock and the stock
        // confirmer keeps asking, so retrying here would only keep the customer waiting.
        const basket = await this.catalog.priceAndReserve(orderId, items, 'once');
        order = Order.place({
          id: orderId,
          customerId,
          currency: basket.currency,
          lines: basket.lines,
          now: this.clock.now(),
        });
      } catch (error) {
        if (!(error instanceof CatalogUnavailableError)) throw error;
        order = Order.acceptAwaitingStock({
          id: orderId,
          customerId,
          items,
          now: this.clock.now(),
        });
      }
    } catch (error) {
      // The catalog's definite refusals hold nothing; anything else (no answer, a surprise) may
      // have taken the stock, so it is released to be sure.
      const nothingReserved =
        !reserveAttempted ||
        error instanceof OutOfStockError ||
        error instanceof ProductsUnavailableError;
      await this.undo(claim, { releaseStock: !nothingReserved });
      throw error;
    }

    const view = toOrderView(order);
    const status = order.status === 'awaiting_stock' ? ACCEPTED : CREATED;
    try {
      await this.unitOfWork.run(async () => {
        await this.orders.insert(order);
        await this.events.publish(order.pullEvents().map(toIntegrationEvent));
        await this.idempotencyKeys.complete(customerId, key, orderId, { status, body: view });
      });
    } catch (error) {
      await this.undo(claim, { releaseStock: true });
      // Outlived its lease: a later request with this key fenced the claim and now answers for it.
      if (error instanceof IdempotencyClaimLostError) throw new IdempotencyKeyInProgressError();
      throw error;
    }
    if (status === ACCEPTED) {
      this.logger.warn(
        { orderId },
        `accepted order ${orderId} awaiting stock: the catalog did not answer`,
      );
    }
    return { status, order: view, replayed: false };
  }

  /** Compensates a failed placement, then frees the key for a retry. */
  private async undo(claim: NewClaim, { releaseStock }: { releaseStock: boolean }): Promise<void> {
    if (releaseStock) {
      try {
        await this.catalog.releaseStock(claim.orderId);
      } catch (error) {
        // The claim stays: after its lease the sweeper or a retry releases this order id's stock.
        this.logger.error(
          { err: error, orderId: claim.orderId },
          `could not release the stock of failed order ${claim.orderId}; the idempotency sweeper will retry`,
        );
        return;
      }
    }
    try {
      await this.idempotencyKeys.abandon(claim.customerId, claim.key, claim.orderId);
    } catch (error) {
      // Harmless: an unfinished claim is taken over once its lease runs out.
      this.logger.warn(
        { err: error, orderId: claim.orderId },
        'could not free the idempotency key of a failed order',
      );
    }
  }

  private newClaim(customerId: string, key: string, requestHash: string): NewClaim {
    const now = this.clock.now();
    return {
      customerId,
      key,
      requestHash,
      orderId: randomUUID(),
      now,
      expiresAt: new Date(now.getTime() + this.settings.idempotencyKeyTtlSeconds * 1000),
    };
  }

  private isAbandoned(record: IdempotencyRecord, now: Date): boolean {
    if (record.response !== null) return false;
    const leaseEnd = record.createdAt.getTime() + this.settings.idempotencyLeaseMs;
    return leaseEnd <= now.getTime() || record.expiresAt <= now;
  }
}
