import { Logger } from '@nestjs/common';
import { createClient, type RedisClientType } from '@redis/client';
import {
  PRODUCT_INVALIDATIONS_CHANNEL,
  type ProductInvalidationFeed,
  type ProductInvalidationListener,
  ProductInvalidationMessage,
} from './product-invalidations.js';

/**
 * The invalidation feed over Redis pub/sub, on a connection of its own (a subscribed connection
 * can do nothing else). Live from the moment the subscription is in place until the connection
 * drops; node-redis subscribes again on every reconnect, before it reports ready, and the listener
 * is told to forget everything then, since what was published meanwhile is lost.
 */
export class RedisProductInvalidations implements ProductInvalidationFeed {
  private readonly logger = new Logger('CatalogCache');
  private readonly client: RedisClientType;
  private subscribed = false;
  private connected = false;

  constructor(url: string) {
    this.client = createClient({
      url,
      name: 'catalog-product-invalidations',
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 1_000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
      },
    });
  }

  get live(): boolean {
    return this.subscribed && this.connected;
  }

  /** Resolves at once; connecting and subscribing happen in the background, again after an outage. */
  start(listener: ProductInvalidationListener): void {
    const interrupted = (): void => {
      if (this.connected) listener.missedSome();
      this.connected = false;
    };
    this.client.on('ready', () => {
      this.connected = true;
      listener.missedSome();
    });
    // The product cache's own connection reports Redis outages; this one only stops being live.
    this.client.on('error', interrupted);
    this.client.on('reconnecting', interrupted);
    this.client.on('end', interrupted);
    this.client
      .connect()
      .then(() =>
        this.client.subscribe(PRODUCT_INVALIDATIONS_CHANNEL, (message) =>
          listener.invalidated(ProductInvalidationMessage.decode(message)),
        ),
      )
      .then(() => {
        this.subscribed = true;
      })
      .catch((error: unknown) => {
        // Without the feed the in-process cache stays unused; reads still go to Redis.
        this.logger.warn(
          `product invalidation feed not subscribed, in-process product cache unused: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  }

  async close(): Promise<void> {
    this.subscribed = false;
    // disconnect, not quit: quit would wait for a server that may be gone.
    await this.client.disconnect().catch(() => undefined);
  }
}
