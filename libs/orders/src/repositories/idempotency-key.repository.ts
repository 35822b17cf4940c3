/** The response a completed request got: replayed as is for a retry with the same key. */
export interface StoredResponse {
  readonly status: number;
  /** A plain JSON object. */
  readonly body: object;
}

/**
 * One use of an idempotency key by one customer. While `response` is null the request is still
 * being processed (or its process died; see the lease in OrdersSettings).
 */
export interface IdempotencyRecord {
  readonly customerId: string;
  readonly key: string;
  /** SHA-256 of the request's canonical JSON. */
  readonly requestHash: string;
  /** The id the order gets (or got); the catalog's reservation is made under it. */
  readonly orderId: string;
  readonly response: StoredResponse | null;
  /** Fenced by a takeover or the sweeper: it can no longer complete; its stock is being released. */
  readonly fenced: boolean;
  /** When the current claim was made. */
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface NewClaim {
  readonly customerId: string;
  readonly key: string;
  readonly requestHash: string;
  readonly orderId: string;
  readonly now: Date;
  readonly expiresAt: Date;
}

export type ClaimOutcome =
  { readonly claimed: true } | { readonly claimed: false; readonly existing: IdempotencyRecord };

/**
 * Idempotency keys persistence port; it is also the DI token. The unique (customer, key) pair
 * decides races: of concurrent claims exactly one succeeds.
 */
export abstract class IdempotencyKeyRepository {
  /**
   * Records the claim, committed at once (outside any transaction of the caller), unless the key
   * is in use: then returns the existing record. An expired, completed record is replaced.
   */
  abstract claim(claim: NewClaim): Promise<ClaimOutcome>;

  /**
   * Fences the unfinished claim held under `orderId` (its request is presumed dead): from the
   * commit on, `complete` refuses it, so that request can no longer save its order. True when the
   * claim is fenced (also when it already was); false when it completed or changed meanwhile.
   * Must come before releasing the claim's stock: a release first leaves a window in which the
   * slow request saves an order whose stock was given back.
   */
  abstract fence(customerId: string, key: string, orderId: string): Promise<boolean>;

  /**
   * Replaces an unfinished claim still held under `previousOrderId` (its process gave up or died;
   * fenced, its stock released) with a new one. False when the record changed meanwhile (another
   * request took it over).
   */
  abstract takeOver(previousOrderId: string, claim: NewClaim): Promise<boolean>;

  /**
   * Stores the response of the claim held under `orderId`, in the caller's transaction. Throws when
   * that claim no longer exists or was fenced (it is being taken over), which rolls the caller's
   * work back: the order is not saved.
   */
  abstract complete(
    customerId: string,
    key: string,
    orderId: string,
    response: StoredResponse,
  ): Promise<void>;

  /** Deletes the unfinished claim held under `orderId`, so the key can be used afresh. */
  abstract abandon(customerId: string, key: string, orderId: string): Promise<void>;

  /** Unfinished claims made before `claimedBefore`: their requests are presumed dead. */
  abstract findAbandoned(claimedBefore: Date, limit: number): Promise<IdempotencyRecord[]>;

  /** Deletes up to `limit` completed records that expired before `now`; returns how many. */
  abstract deleteExpired(now: Date, limit: number): Promise<number>;
}

/** `complete` found no claim to complete: another request fenced it or took the key over. */
export class IdempotencyClaimLostError extends Error {
  constructor(orderId: string) {
    super(
      `the idempotency claim for order ${orderId} was fenced or taken over before it completed`,
    );
    this.name = 'IdempotencyClaimLostError';
  }
}
