import { Injectable } from '@nestjs/common';
import { CatalogClient } from '../clients/catalog.client.js';

/**
 * Gives a cancelled order's stock back to the catalog. It runs on `orders.v1.order-cancelled`, so
 * the release is as durable as the cancellation (outbox) and is retried, with backoff, until the
 * catalog answers; the catalog's release is idempotent, so a repeated event does no harm.
 */
@Injectable()
export class ReleaseOrderStockService {
  constructor(private readonly catalog: CatalogClient) {}

  release(orderId: string): Promise<void> {
    return this.catalog.releaseStock(orderId);
  }
}
