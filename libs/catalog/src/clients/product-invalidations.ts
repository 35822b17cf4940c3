/** The Redis pub/sub channel on which every write names the products whose cache entries it dropped. */
export const PRODUCT_INVALIDATIONS_CHANNEL = 'catalog:product-invalidations';

/** Product ids are UUIDs: a comma never occurs in one. */
export const ProductInvalidationMessage = {
  encode: (ids: readonly string[]): string => ids.join(','),
  decode: (message: string): string[] => message.split(',').filter((id) => id.length > 0),
};

/** What a replica's in-process cache hears from the invalidation feed. */
export interface ProductInvalidationListener {
  /** Another replica (or this one) changed these products. */
  invalidated(ids: readonly string[]): void;
  /** The feed was interrupted: invalidations may have been missed, so forget everything. */
  missedSome(): void;
}

/** Whether invalidations are being received right now; without them nothing may be kept locally. */
export interface ProductInvalidationFeed {
  readonly live: boolean;
}
