import { CATALOG_ERROR_CODES, type CatalogErrorCode } from './catalog/catalog-error-codes.js';
import { CATALOG_PATTERNS } from './catalog/catalog-patterns.js';
import {
  PriceAndReserveBasketReply,
  PriceAndReserveBasketRequest,
} from './catalog/price-and-reserve-basket.request.js';
import { PriceBasketReply, PriceBasketRequest } from './catalog/price-basket.request.js';
import { ReleaseStockReply, ReleaseStockRequest } from './catalog/release-stock.request.js';
import { ReserveStockReply, ReserveStockRequest } from './catalog/reserve-stock.request.js';
import {
  MESSAGING_ERROR_CODES,
  type MessagingErrorCode,
} from './messaging/messaging-error-codes.js';
import {
  ORDER_EVENTS,
  OrderCancelledPayload,
  OrderPaidPayload,
  OrderPlacedPayload,
  OrderShippedPayload,
} from './orders/order-events.js';
import {
  PAYMENT_EVENTS,
  PaymentFailedPayload,
  PaymentRefundedPayload,
  PaymentSucceededPayload,
} from './payments/payment-events.js';

/** A class whose class-validator decorators describe a message body. */
export type MessageClass<T extends object = object> = new () => T;

/** A request another service may send, and what answers it. */
export interface PublishedRequest<TRequest extends object, TReply extends object> {
  /** The app that answers; its replicas share the queue `<service>.requests`. */
  readonly service: string;
  readonly summary: string;
  readonly request: MessageClass<TRequest>;
  readonly reply: MessageClass<TReply>;
  /** Domain codes an error reply may carry, besides the MESSAGING.* ones any request may get. */
  readonly errors: readonly CatalogErrorCode[];
  /** Whether a retry is safe, and what makes it so. */
  readonly idempotency: string;
}

/** An event one app publishes for any service to consume. */
export interface PublishedEvent<TPayload extends object> {
  /** The app that publishes it (the envelope's `type` is the routing key). */
  readonly producer: string;
  readonly summary: string;
  readonly payload: MessageClass<TPayload>;
}

const request = <TRequest extends object, TReply extends object>(
  published: PublishedRequest<TRequest, TReply>,
): PublishedRequest<TRequest, TReply> => published;

const event = <TPayload extends object>(
  published: PublishedEvent<TPayload>,
): PublishedEvent<TPayload> => published;

const { INSUFFICIENT_STOCK, PRODUCTS_UNAVAILABLE, MIXED_CURRENCIES } = CATALOG_ERROR_CODES;
const { RESERVATION_MISMATCH, RESERVATION_RELEASED } = CATALOG_ERROR_CODES;

/**
 * Every request the platform answers for other services, by pattern. This list, the classes it
 * names and the code lists below are the published contract: docs/contracts/asyncapi.yaml is
 * generated from them (`npm run contracts:generate`), and the typed client takes its types here.
 */
export const PUBLISHED_REQUESTS = {
  [CATALOG_PATTERNS.PRICE_BASKET]: request({
    service: 'catalog',
    summary:
      'Prices a basket at the current prices. Products not on sale are listed by id, not priced; ' +
      'the same product twice counts as one line with the quantities added.',
    request: PriceBasketRequest,
    reply: PriceBasketReply,
    errors: [],
    idempotency: 'A read: repeat it freely.',
  }),
  [CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET]: request({
    service: 'catalog',
    summary:
      'Prices the basket and takes every line off stock for the order, in one transaction, or ' +
      'does neither. After an error other than CATALOG.INSUFFICIENT_STOCK or ' +
      'CATALOG.PRODUCTS_UNAVAILABLE, or no reply, release the order to be sure.',
    request: PriceAndReserveBasketRequest,
    reply: PriceAndReserveBasketReply,
    errors: [
      INSUFFICIENT_STOCK,
      PRODUCTS_UNAVAILABLE,
      MIXED_CURRENCIES,
      RESERVATION_MISMATCH,
      RESERVATION_RELEASED,
    ],
    idempotency:
      'Idempotent per orderId: the same request again takes nothing more and answers the held basket.',
  }),
  [CATALOG_PATTERNS.RESERVE_STOCK]: request({
    service: 'catalog',
    summary: 'Takes every line off stock for the order, or none of them.',
    request: ReserveStockRequest,
    reply: ReserveStockReply,
    errors: [INSUFFICIENT_STOCK, PRODUCTS_UNAVAILABLE, RESERVATION_MISMATCH, RESERVATION_RELEASED],
    idempotency: 'Idempotent per orderId: the same request again takes nothing more.',
  }),
  [CATALOG_PATTERNS.RELEASE_STOCK]: request({
    service: 'catalog',
    summary:
      "Puts the order's reserved stock back. Releasing an order that holds nothing makes the " +
      'catalog refuse a later reserve for it.',
    request: ReleaseStockRequest,
    reply: ReleaseStockReply,
    errors: [],
    idempotency: 'Idempotent per orderId: the stock goes back once however often it is sent.',
  }),
} as const;

/** Every event the platform publishes for other services, by type (= routing key). */
export const PUBLISHED_EVENTS = {
  [ORDER_EVENTS.placed]: event({
    producer: 'orders',
    summary: 'A customer placed an order: stock is reserved and payment is due.',
    payload: OrderPlacedPayload,
  }),
  [ORDER_EVENTS.paid]: event({
    producer: 'orders',
    summary: 'Payment for the order succeeded; the order is now paid.',
    payload: OrderPaidPayload,
  }),
  [ORDER_EVENTS.cancelled]: event({
    producer: 'orders',
    summary:
      'The order was cancelled: its stock is released and, when it was paid, the payment refunded.',
    payload: OrderCancelledPayload,
  }),
  [ORDER_EVENTS.shipped]: event({
    producer: 'orders',
    summary: 'The order left the warehouse.',
    payload: OrderShippedPayload,
  }),
  [PAYMENT_EVENTS.succeeded]: event({
    producer: 'payments',
    summary: "The order's amount was charged, exactly once.",
    payload: PaymentSucceededPayload,
  }),
  [PAYMENT_EVENTS.failed]: event({
    producer: 'payments',
    summary: 'The charge was declined or could not be made; the order is cancelled.',
    payload: PaymentFailedPayload,
  }),
  [PAYMENT_EVENTS.refunded]: event({
    producer: 'payments',
    summary: 'Money taken for an order that is not going ahead was given back.',
    payload: PaymentRefundedPayload,
  }),
} as const;

export type PublishedPattern = keyof typeof PUBLISHED_REQUESTS;
export type PublishedEventType = keyof typeof PUBLISHED_EVENTS;

/** The request body of a published pattern: `RequestOf<'catalog.v1.basket.price'>`. */
export type RequestOf<P extends PublishedPattern> =
  (typeof PUBLISHED_REQUESTS)[P] extends PublishedRequest<infer TRequest, object>
    ? TRequest
    : never;

/** The reply body of a published pattern. */
export type ReplyOf<P extends PublishedPattern> =
  (typeof PUBLISHED_REQUESTS)[P] extends PublishedRequest<object, infer TReply> ? TReply : never;

/** The payload of a published event type. */
export type PayloadOf<T extends PublishedEventType> =
  (typeof PUBLISHED_EVENTS)[T] extends PublishedEvent<infer TPayload> ? TPayload : never;

/** What each code means and the `details` it carries: a caller branches on these. */
export const ERROR_CODE_DESCRIPTIONS: Readonly<
  Record<CatalogErrorCode | MessagingErrorCode, string>
> = {
  [MESSAGING_ERROR_CODES.VALIDATION_FAILED]:
    'The request broke its contract; nothing was done. `details: { violations: [{ field, messages }] }`. Never retry it unchanged.',
  [MESSAGING_ERROR_CODES.NO_HANDLER]:
    'The queue that took the request has no handler for its pattern (an older replica). `details: { pattern }`. Worth retrying.',
  [MESSAGING_ERROR_CODES.INTERNAL]:
    'The handler failed unexpectedly; its cause is logged on the platform, not sent. Retry idempotent requests only.',
  [MESSAGING_ERROR_CODES.TIMEOUT]:
    'Raised by the caller, never sent: no reply within its timeout. The handler may still have acted.',
  [MESSAGING_ERROR_CODES.UNAVAILABLE]:
    'Raised by the caller, never sent: not connected to the broker. Worth retrying later.',
  [CATALOG_ERROR_CODES.INSUFFICIENT_STOCK]:
    'Some lines cannot be served from stock; nothing was reserved. `details: { productIds: string[], shortages: [{ productId, requested }] }` (ignore any `available`).',
  [CATALOG_ERROR_CODES.PRODUCTS_UNAVAILABLE]:
    'Some products do not exist or are no longer sold; nothing was reserved. `details: { unknownProductIds: string[], inactiveProductIds: string[] }`.',
  [CATALOG_ERROR_CODES.MIXED_CURRENCIES]:
    "The basket's products are priced in more than one currency. `details: { currencies: string[] }`.",
  [CATALOG_ERROR_CODES.RESERVATION_MISMATCH]:
    'The order already holds a reservation with other lines: a retry must repeat the first request. `details: { orderId }`.',
  [CATALOG_ERROR_CODES.RESERVATION_RELEASED]:
    "The order's reservation was released (or released before it was made): it cannot be reserved again. `details: { orderId }`.",
  [CATALOG_ERROR_CODES.PRODUCT_NOT_FOUND]:
    'No such product, or it is no longer sold. `details: { productId }`.',
};
