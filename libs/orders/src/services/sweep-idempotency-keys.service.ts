import { Clock } from '#lib/kernel';
import { Injectable, Logger } from '@nestjs/common';
import { CatalogClient } from '../clients/catalog.client.js';
import { IdempotencyKeyRepository } from '../repositories/idempotency-key.repository.js';
import { OrdersSettings } from './orders-settings.js';

export interface SweepOutcome {
  /** Abandoned claims whose stock was released and whose key was freed. */
  readonly released: number;
  /** Expired, completed keys deleted. */
  readonly deleted: number;
}

const BATCH = 100;

/**
 * Housekeeping of idempotency keys. A claim whose request died between the reservation and the
 * save (process killed, release failed) still names the order id its stock may be reserved under:
 * once the lease is over, that stock is released and the key freed. Expired keys are deleted.
 */
@Injectable()
export class SweepIdempotencyKeysService {
  private readonly logger = new Logger(SweepIdempotencyKeysService.name);

  constructor(
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly catalog: CatalogClient,
    private readonly clock: Clock,
    private readonly settings: OrdersSettings,
  ) {}

  async sweep(): Promise<SweepOutcome> {
    const now = this.clock.now();
    const leaseStart = new Date(now.getTime() - this.settings.idempotencyLeaseMs);
    let released = 0;
    for (const claim of await this.idempotencyKeys.findAbandoned(leaseStart, BATCH)) {
      try {
        // Fenced first: a request still alive can then no longer save an order on this stock.
        if (!(await this.idempotencyKeys.fence(claim.customerId, claim.key, claim.orderId))) {
          continue; // It completed (or was taken over) since it was listed.
        }
        await this.catalog.releaseStock(claim.orderId);
        await this.idempotencyKeys.abandon(claim.customerId, claim.key, claim.orderId);
        released += 1;
      } catch (error) {
        this.logger.warn(
          { err: error, orderId: claim.orderId },
          `could not release abandoned order ${claim.orderId} yet; next sweep retries`,
        );
      }
    }
    const deleted = await this.idempotencyKeys.deleteExpired(now, BATCH * 10);
    return { released, deleted };
  }
}
