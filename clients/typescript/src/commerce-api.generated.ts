// Generated from docs/contracts/openapi.json by `npm run contracts:client`: do not edit.
export interface paths {
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process is up and serving HTTP */
    get: operations['healthLive'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Readiness: dependencies answer and the process is not shutting down
     * @description `/health` and `/health/ready` are the same check: Postgres, Redis, messaging.
     */
    get: operations['healthReady'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Readiness: dependencies answer and the process is not shutting down
     * @description `/health` and `/health/ready` are the same check: Postgres, Redis, messaging.
     */
    get: operations['healthReadyAlias1'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/backlog': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Messaging backlog: whether committed events are being published
     * @description For alerting and operators, not for Kubernetes probes. 503 when the oldest unpublished outbox message has waited longer than the threshold (HEALTH_OUTBOX_MAX_AGE_SECONDS) or the backlog cannot be read; `outbox_backlog` gives the pending count, the oldest age and the number of dead letters. Readiness ignores it on purpose: every replica shares the outbox, so failing readiness would take them all out of rotation without publishing any faster.
     */
    get: operations['healthBacklog'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List users (admin)
     * @description Oldest first, ordered by creation time then id. Follow `nextCursor` for more.
     */
    get: operations['listUsers'];
    put?: never;
    /**
     * Register a customer account
     * @description The email is trimmed and lower-cased. Log in afterwards at POST /v1/auth/token.
     */
    post: operations['registerUser'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The authenticated user */
    get: operations['getCurrentUser'];
    put?: never;
    post?: never;
    /**
     * Delete the authenticated account
     * @description Removes the account and its refresh tokens, and revokes its access tokens in every service at once. Orders and payments keep referring to the user id, which no longer names anyone. A 503 (Redis unreachable, the revocation not recorded) means nothing was deleted: retry. The last administrator cannot delete their account: make another user an admin first.
     */
    delete: operations['deleteCurrentUser'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete an account (admin)
     * @description As DELETE /v1/users/me, for any account. Of two admins deleting each other at once, one succeeds and the other is refused: the shop always keeps an administrator.
     */
    delete: operations['deleteUser'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{id}/roles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Replace a user's roles (admin)
     * @description Takes effect in the user's next access token (after their next refresh). The last administrator keeps the admin role: of two admins demoting each other at once, one succeeds and the other is refused, so the shop always keeps an administrator.
     */
    patch: operations['changeUserRoles'];
    trace?: never;
  };
  '/v1/auth/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Obtain tokens (OAuth 2.0 token endpoint)
     * @description `grant_type=password` with `username` (email) and `password` logs in; `grant_type=refresh_token` with `refresh_token` exchanges a refresh token, which is single use: the response carries its successor, and presenting a used token again revokes every token of its login. Login attempts are limited per account and per client address.
     */
    post: operations['requestToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/revoke': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Revoke a refresh token (logout)
     * @description Revokes the refresh token and every token of its login. Answers 200 for unknown tokens too (RFC 7009). Access tokens cannot be revoked: they expire within minutes.
     */
    post: operations['revokeToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/.well-known/jwks.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** JSON Web Key Set for verifying access tokens */
    get: operations['getJwks'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/products': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List products on sale
     * @description Optionally filtered by full-text search (`q`), sorted by name, price (minor units, across currencies) or creation time; ties are broken by id. Follow `nextCursor` for more.
     */
    get: operations['listProducts'];
    put?: never;
    /** Create a product (admin) */
    post: operations['createProduct'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/products/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A product on sale
     * @description Carries an ETag (id and version) and Cache-Control; send the ETag back as If-None-Match to get 304 while it is unchanged.
     */
    get: operations['getProduct'];
    put?: never;
    post?: never;
    /**
     * Take a product off sale (admin)
     * @description The product stays on record for the orders that refer to it, and its SKU stays taken. Idempotent. If-Match is optional here.
     */
    delete: operations['deactivateProduct'];
    options?: never;
    head?: never;
    /**
     * Edit a product, stock included (admin)
     * @description Optimistic concurrency: the edit names the version it is based on, as If-Match (the ETag) or a `version` field. If the product changed since, nothing is written and the answer is 409 CATALOG.VERSION_CONFLICT with `currentVersion`: read it again and reapply. Stock reservations by orders change the version too.
     */
    patch: operations['updateProduct'];
    trace?: never;
  };
  '/v1/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An order's payments
     * @description For the order's customer or an admin. Anyone else gets an empty list, as for an order without a payment, so the answer never reveals other customers' orders. The payment appears shortly after the order is placed (it is created from the order.placed event).
     */
    get: operations['listOrderPayments'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/orders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List orders
     * @description Newest first: the caller's own orders, or every order for an admin. Follow `nextCursor` for more.
     */
    get: operations['listOrders'];
    put?: never;
    /**
     * Place an order
     * @description Prices the items at the current catalog prices (snapshotted on the order), reserves their stock and saves the order `pending_payment` (201); payment follows asynchronously (poll the order). When the catalog cannot be reached, the order is accepted all the same (202) as `awaiting_stock`, not priced yet: it is priced and reserved as soon as the catalog answers, then goes on to payment, or it is cancelled (`out_of_stock`, `products_unavailable`) and the customer is told. An out-of-stock or unknown product the catalog reports at once is still refused at once (409, 422). Retrying with the same Idempotency-Key and body returns the first response (same status and body, with `Idempotent-Replayed: true`); a concurrent request with the same key waits for the first one (up to a few seconds, then 409 ORDERS.IDEMPOTENCY_KEY_IN_PROGRESS). Failed attempts are not remembered: retrying them with the same key tries again. Keys expire after 24 h.
     */
    post: operations['placeOrder'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/orders/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an order
     * @description The caller's own order, or any order for an admin.
     */
    get: operations['getOrder'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/orders/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel an order
     * @description By its customer, or by an admin, until it ships (an order awaiting stock too). Its stock is released; a paid order is refunded (both follow asynchronously).
     */
    post: operations['cancelOrder'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/orders/{id}/ship': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark a paid order as shipped (admin) */
    post: operations['shipOrder'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/notifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * My notifications
     * @description The caller's own notifications, newest first, whatever their roles. Follow `nextCursor` for more.
     */
    get: operations['listNotifications'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/notifications/failed-jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Dead delivery jobs (admin)
     * @description Delivery jobs that used up every retry. They are kept in the queue until an operator deals with them.
     */
    get: operations['listFailedDeliveryJobs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    RegisterUserRequestDto: {
      /**
       * @description Trimmed and lower-cased; one account per address
       * @example ann@shop.example
       */
      email: string;
      /**
       * Format: password
       * @description 12 to 128 characters of at least two kinds (lower-case, upper-case, digits, others), not containing the email's local part
       * @example tangerine-bicycle-42
       */
      password: string;
    };
    UserResponseDto: {
      /** Format: uuid */
      id: string;
      /** @example ann@shop.example */
      email: string;
      /**
       * @example [
       *       "customer"
       *     ]
       */
      roles: ('customer' | 'admin')[];
      /** Format: date-time */
      createdAt: string;
    };
    UserPageResponseDto: {
      items: components['schemas']['UserResponseDto'][];
      /** @description Pass as `cursor` to get the next page; null on the last page */
      nextCursor: string | null;
    };
    ChangeUserRolesRequestDto: {
      /**
       * @description The complete new set of roles (replaces the current one); at least one
       * @example [
       *       "customer",
       *       "admin"
       *     ]
       */
      roles: ('customer' | 'admin')[];
    };
    OAuthErrorResponseDto: {
      /**
       * @example invalid_grant
       * @enum {string}
       */
      error:
        | 'invalid_request'
        | 'invalid_grant'
        | 'unsupported_grant_type'
        | 'server_error'
        | 'temporarily_unavailable';
      /** @example The username or password is incorrect */
      error_description?: string;
    };
    TokenRequestDto: {
      /** @enum {string} */
      grant_type: 'password' | 'refresh_token';
      /** @description The email address (grant_type=password) */
      username?: string;
      /**
       * Format: password
       * @description grant_type=password
       */
      password?: string;
      /** @description grant_type=refresh_token */
      refresh_token?: string;
      /** @description Accepted and ignored: access is governed by roles */
      scope?: string;
      /** @description Accepted and ignored: all clients are public clients */
      client_id?: string;
    };
    TokenResponseDto: {
      /** @description RS256 JWT; verify with /.well-known/jwks.json */
      access_token: string;
      /** @enum {string} */
      token_type: 'Bearer';
      /**
       * @description Lifetime of the access token in seconds
       * @example 900
       */
      expires_in: number;
      /** @description Opaque, single use: each refresh returns a new one */
      refresh_token: string;
    };
    RevokeTokenRequestDto: {
      /** @description The refresh token to revoke, with every token of its family */
      token: string;
      /** @enum {string} */
      token_type_hint?: 'refresh_token' | 'access_token';
      /** @description Accepted and ignored: all clients are public clients */
      client_id?: string;
    };
    JwkDto: {
      /** @example RSA */
      kty: string;
      /** @description RSA modulus, base64url */
      n: string;
      /** @example AQAB */
      e: string;
      /** @example RS256 */
      alg: string;
      /** @example sig */
      use: string;
      /** @description RFC 7638 thumbprint; matches the `kid` header of access tokens */
      kid: string;
    };
    JwksResponseDto: {
      keys: components['schemas']['JwkDto'][];
    };
    PriceDto: {
      /**
       * @description Amount in minor units of the currency (cents for EUR, yen for JPY)
       * @example 1999
       */
      amountMinor: number;
      /**
       * @description ISO 4217 currency code
       * @example EUR
       */
      currency: string;
    };
    ProductResponseDto: {
      /** Format: uuid */
      id: string;
      /** @example MUG-BLUE-01 */
      sku: string;
      /** @example Blue mug */
      name: string;
      /** @example Stoneware, 350 ml */
      description: string;
      price: components['schemas']['PriceDto'];
      /**
       * @description Units on hand, not reserved by orders
       * @example 12
       */
      stock: number;
      /** @description False once an admin took the product off sale */
      active: boolean;
      /**
       * @description Grows with every change; send it back (or the ETag as If-Match) to edit
       * @example 3
       */
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    ProductPageResponseDto: {
      items: components['schemas']['ProductResponseDto'][];
      /** @description Pass as `cursor` (with the same q, sort and order) for the next page; null on the last page */
      nextCursor: string | null;
    };
    CreateProductRequestDto: {
      /**
       * @description Unique; stored upper-case. Letters, digits, dots, dashes, underscores
       * @example MUG-BLUE-01
       */
      sku: string;
      /** @example Blue mug */
      name: string;
      /** @example Stoneware, 350 ml */
      description?: string;
      price: components['schemas']['PriceDto'];
      /** @example 25 */
      stock: number;
    };
    UpdateProductRequestDto: {
      /**
       * @description The version this edit is based on; required unless the If-Match header carries the ETag
       * @example 3
       */
      version?: number;
      name?: string;
      description?: string;
      price?: components['schemas']['PriceDto'];
      /**
       * @description The new number of units on hand (a stock count, not a delta)
       * @example 40
       */
      stock?: number;
      /** @description false takes the product off sale, true puts it back */
      active?: boolean;
    };
    PaymentResponseDto: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      orderId: string;
      /**
       * @description `pending` (charge under way or scheduled), `succeeded`, `failed`, `cancelled` (order cancelled before any charge), `refund_pending`, `refunded`
       * @enum {string}
       */
      status: 'pending' | 'succeeded' | 'failed' | 'cancelled' | 'refund_pending' | 'refunded';
      /**
       * @description Minor units (cents)
       * @example 2599
       */
      amount: number;
      /** @example EUR */
      currency: string;
      /**
       * @description Why the payment failed: PAYMENTS.CARD_DECLINED or PAYMENTS.PROVIDER_UNAVAILABLE
       * @example PAYMENTS.CARD_DECLINED
       */
      failureCode: string | null;
      failureReason: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** Format: date-time */
      chargedAt: string | null;
      /** Format: date-time */
      failedAt: string | null;
      /** Format: date-time */
      cancelledAt: string | null;
      /** Format: date-time */
      refundedAt: string | null;
    };
    PaymentListResponseDto: {
      items: components['schemas']['PaymentResponseDto'][];
    };
    PlaceOrderItemDto: {
      /**
       * Format: uuid
       * @description A product of the catalog, on sale
       */
      productId: string;
      /** @example 1 */
      quantity: number;
    };
    PlaceOrderRequestDto: {
      /** @description A product listed twice counts once, with the quantities added */
      items: components['schemas']['PlaceOrderItemDto'][];
    };
    OrderLineResponseDto: {
      /** Format: uuid */
      productId: string;
      /** @example MUG-BLUE-01 */
      sku: string;
      /** @example Blue mug */
      name: string;
      /**
       * @description Minor units (cents), as priced when the order was placed
       * @example 1250
       */
      unitPrice: number;
      /** @example 2 */
      quantity: number;
      /**
       * @description unitPrice × quantity, minor units
       * @example 2500
       */
      lineTotal: number;
    };
    RequestedItemResponseDto: {
      /** Format: uuid */
      productId: string;
      /** @example 2 */
      quantity: number;
    };
    OrderResponseDto: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      customerId: string;
      /**
       * @description awaiting_stock → pending_payment → paid → shipped; awaiting_stock, pending_payment or paid → cancelled. `awaiting_stock`: accepted (202) while the catalog could not be reached; its stock is reserved and it is priced as soon as the catalog answers (then pending_payment), or it is cancelled (`out_of_stock`, `products_unavailable`) if the catalog refuses it.
       * @enum {string}
       */
      status: 'awaiting_stock' | 'pending_payment' | 'paid' | 'shipped' | 'cancelled';
      /**
       * @description ISO 4217; an empty string while the order is awaiting_stock (not priced yet)
       * @example EUR
       */
      currency: string;
      /**
       * @description Sum of the lines, minor units; 0 while the order is awaiting_stock
       * @example 2500
       */
      total: number;
      /** @description As priced by the catalog; empty while the order is awaiting_stock */
      lines: components['schemas']['OrderLineResponseDto'][];
      /** @description What was asked for, one entry per product (repeated products added up). Sent on every order; missing only from the stored answer of an order placed before it existed. */
      requestedItems?: components['schemas']['RequestedItemResponseDto'][];
      /** Format: uuid */
      paymentId: string | null;
      /** @enum {string|null} */
      cancellationReason:
        | 'payment_failed'
        | 'cancelled_by_customer'
        | 'cancelled_by_admin'
        | 'out_of_stock'
        | 'products_unavailable'
        | null;
      /**
       * @description Increases with every change of the order
       * @example 1
       */
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    OrderPageResponseDto: {
      items: components['schemas']['OrderResponseDto'][];
      /** @description Pass as `cursor` to get the next page; null on the last page */
      nextCursor: string | null;
    };
    NotificationResponseDto: {
      /** Format: uuid */
      id: string;
      /**
       * @description Which kind of event it tells about
       * @example order-placed
       */
      template: string;
      /** @example We received your order 3F2A91C0 */
      subject: string;
      body: string;
      /**
       * @description `queued` until delivered (`sent`) or given up after every retry (`failed`)
       * @enum {string}
       */
      status: 'queued' | 'sent' | 'failed';
      /**
       * @description Delivery attempts made so far
       * @example 1
       */
      attempts: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      sentAt: string | null;
    };
    NotificationPageResponseDto: {
      items: components['schemas']['NotificationResponseDto'][];
      /** @description Pass as `cursor` to get the next page; null on the last page */
      nextCursor: string | null;
    };
    FailedJobResponseDto: {
      /** @example 0b6e1c52-8f0e-4d7c-9a51-3f0b8f3c2a10:order-placed */
      jobId: string;
      /** Format: uuid */
      notificationId: string;
      /** @example 5 */
      attemptsMade: number;
      /**
       * @description The error of the last attempt
       * @example mail provider timed out
       */
      failedReason: string;
      /** Format: date-time */
      failedAt: string | null;
    };
    FailedJobsResponseDto: {
      /** @description Failed jobs kept in the queue, all of them */
      total: number;
      /** @description The most recent, newest first */
      items: components['schemas']['FailedJobResponseDto'][];
    };
    FieldViolationDocument: {
      /** @example email */
      field: string;
      /**
       * @example [
       *       "email must be an email"
       *     ]
       */
      messages: string[];
    };
    ProblemDocument: {
      /** @example urn:commerce:problem:validation-failed */
      type: string;
      /** @example Request validation failed */
      title: string;
      /** @example 400 */
      status: number;
      /** @example email must be an email */
      detail?: string;
      /** @example /v1/users */
      instance?: string;
      /**
       * @description Stable, documented error code
       * @example VALIDATION_FAILED
       */
      code: string;
      /** @example 7d3c9e1a-... */
      requestId?: string;
      errors?: components['schemas']['FieldViolationDocument'][];
      /**
       * @description On a 503: the service that did not answer, when the app knows which
       * @example catalog
       */
      dependency?: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: {
    /** @description The request id: the one the client sent as x-request-id, or a new one. Quote it to support; the logs and traces carry it. */
    RequestId: string;
    /** @description Seconds to wait before retrying */
    RetryAfter: number;
    /** @description The representation's version, for If-None-Match (reads) and If-Match (edits) */
    ETag: string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  healthLive: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description alive */
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok';
          };
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  healthReady: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description ready
       *
       *     The Health Check is successful
       */
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example ok
             * @enum {string}
             */
            status?: 'ok' | 'degraded';
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /** @example {} */
            error?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            };
          };
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /**
       * @description not ready; the failing components are under `error`
       *
       *     The Health Check is not successful
       */
      503: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example error
             * @enum {string}
             */
            status?: 'error' | 'shutting_down';
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            error?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       },
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            };
          };
        };
      };
    };
  };
  healthReadyAlias1: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description ready
       *
       *     The Health Check is successful
       */
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example ok
             * @enum {string}
             */
            status?: 'ok' | 'degraded';
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /** @example {} */
            error?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            };
          };
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /**
       * @description not ready; the failing components are under `error`
       *
       *     The Health Check is not successful
       */
      503: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example error
             * @enum {string}
             */
            status?: 'error' | 'shutting_down';
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            error?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       },
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            };
          };
        };
      };
    };
  };
  healthBacklog: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description the relay keeps up
       *
       *     The Health Check is successful
       */
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example ok
             * @enum {string}
             */
            status?: 'ok' | 'degraded';
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /** @example {} */
            error?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            };
          };
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /**
       * @description events are late, or the backlog is unknown; details under `error`
       *
       *     The Health Check is not successful
       */
      503: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example error
             * @enum {string}
             */
            status?: 'error' | 'shutting_down';
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            error?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       },
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
              } & {
                [key: string]: unknown;
              };
            };
          };
        };
      };
    };
  };
  listUsers: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The `nextCursor` of the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserPageResponseDto'];
        };
      };
      /** @description Invalid limit (VALIDATION_FAILED) or cursor (IDENTITY.INVALID_CURSOR) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description FORBIDDEN: the token lacks the role admin */
      403: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  registerUser: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RegisterUserRequestDto'];
      };
    };
    responses: {
      201: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserResponseDto'];
        };
      };
      /** @description Invalid body (VALIDATION_FAILED), email (IDENTITY.INVALID_EMAIL) or password (IDENTITY.WEAK_PASSWORD, with `violations`) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description IDENTITY.EMAIL_TAKEN: an account with this email exists */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description PAYLOAD_TOO_LARGE: the body is over the size limit */
      413: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNSUPPORTED_MEDIA_TYPE: the body is not of a type listed here */
      415: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  getCurrentUser: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserResponseDto'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description IDENTITY.USER_NOT_FOUND: the account no longer exists */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  deleteCurrentUser: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description IDENTITY.USER_NOT_FOUND: the account no longer exists */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description IDENTITY.LAST_ADMIN: the account is the last administrator; nothing was deleted */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  deleteUser: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid id (VALIDATION_FAILED) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description FORBIDDEN: the token lacks the role admin */
      403: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description IDENTITY.USER_NOT_FOUND */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description IDENTITY.LAST_ADMIN: the account is the last administrator; nothing was deleted */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  changeUserRoles: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ChangeUserRolesRequestDto'];
      };
    };
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserResponseDto'];
        };
      };
      /** @description Invalid id or roles (VALIDATION_FAILED, IDENTITY.ROLES_REQUIRED) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description FORBIDDEN: the token lacks the role admin */
      403: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description IDENTITY.USER_NOT_FOUND */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description IDENTITY.LAST_ADMIN: the user is the last administrator; their roles are unchanged */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description PAYLOAD_TOO_LARGE: the body is over the size limit */
      413: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNSUPPORTED_MEDIA_TYPE: the body is not of a type listed here */
      415: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description IDENTITY.CANNOT_REMOVE_OWN_ADMIN_ROLE: an admin cannot drop their own admin role */
      422: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  requestToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['TokenRequestDto'];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description no-store */
          'Cache-Control'?: string;
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TokenResponseDto'];
        };
      };
      /** @description `invalid_grant` (wrong credentials; invalid, expired, revoked or reused refresh token), `invalid_request`, `unsupported_grant_type` */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OAuthErrorResponseDto'];
        };
      };
      /** @description Too many login attempts for the account or client address; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OAuthErrorResponseDto'];
        };
      };
      /** @description `server_error` */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OAuthErrorResponseDto'];
        };
      };
      /** @description `temporarily_unavailable`: the database is not answering; see Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OAuthErrorResponseDto'];
        };
      };
    };
  };
  revokeToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['RevokeTokenRequestDto'];
      };
    };
    responses: {
      /** @description Revoked, or nothing to revoke */
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `invalid_request`: no token */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OAuthErrorResponseDto'];
        };
      };
      /** @description Too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OAuthErrorResponseDto'];
        };
      };
      /** @description `server_error` */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OAuthErrorResponseDto'];
        };
      };
      /** @description `temporarily_unavailable`: the database is not answering; see Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OAuthErrorResponseDto'];
        };
      };
    };
  };
  getJwks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JwksResponseDto'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  listProducts: {
    parameters: {
      query?: {
        /** @description Full-text search over name and description, web search syntax: `blue mug`, `"tea cup"`, `mug -red`, `mug or cup` */
        q?: string;
        sort?: 'name' | 'price' | 'createdAt';
        order?: 'asc' | 'desc';
        limit?: number;
        /** @description The `nextCursor` of the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ProductPageResponseDto'];
        };
      };
      /** @description Invalid query (VALIDATION_FAILED) or a cursor that is invalid or belongs to another sort or filter (CATALOG.INVALID_CURSOR) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  createProduct: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateProductRequestDto'];
      };
    };
    responses: {
      201: {
        headers: {
          ETag: components['headers']['ETag'];
          /** @description The product: /v1/products/{id} */
          Location?: string;
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ProductResponseDto'];
        };
      };
      /** @description Invalid body (VALIDATION_FAILED, CATALOG.INVALID_SKU, CATALOG.INVALID_CURRENCY, CATALOG.INVALID_PRODUCT) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description FORBIDDEN: the token lacks the role admin */
      403: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description CATALOG.SKU_TAKEN */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description PAYLOAD_TOO_LARGE: the body is over the size limit */
      413: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNSUPPORTED_MEDIA_TYPE: the body is not of a type listed here */
      415: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  getProduct: {
    parameters: {
      query?: never;
      header?: {
        /** @description An ETag of this product from an earlier answer */
        'If-None-Match'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ProductResponseDto'];
        };
      };
      /** @description The product is unchanged since the ETag sent as If-None-Match; no body */
      304: {
        headers: {
          ETag: components['headers']['ETag'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description VALIDATION_FAILED: the id is not a UUID */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description CATALOG.PRODUCT_NOT_FOUND: no such product, or off sale */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  deactivateProduct: {
    parameters: {
      query?: never;
      header?: {
        /** @description The ETag the removal is based on */
        'If-Match'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The product is off sale */
      204: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description VALIDATION_FAILED (the id is not a UUID) or a malformed If-Match (CATALOG.INVALID_PRECONDITION) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description FORBIDDEN: the token lacks the role admin */
      403: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description CATALOG.PRODUCT_NOT_FOUND */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description CATALOG.VERSION_CONFLICT (only with If-Match) */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  updateProduct: {
    parameters: {
      query?: never;
      header?: {
        /** @description The ETag the edit is based on */
        'If-Match'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateProductRequestDto'];
      };
    };
    responses: {
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ProductResponseDto'];
        };
      };
      /** @description Invalid body (VALIDATION_FAILED, CATALOG.INVALID_*), no version given (CATALOG.PRECONDITION_REQUIRED) or a malformed If-Match (CATALOG.INVALID_PRECONDITION) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description FORBIDDEN: the token lacks the role admin */
      403: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description CATALOG.PRODUCT_NOT_FOUND */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description CATALOG.VERSION_CONFLICT: the product changed since; `currentVersion` says to what */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description PAYLOAD_TOO_LARGE: the body is over the size limit */
      413: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNSUPPORTED_MEDIA_TYPE: the body is not of a type listed here */
      415: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  listOrderPayments: {
    parameters: {
      query: {
        /** @description The order whose payments to list */
        orderId: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PaymentListResponseDto'];
        };
      };
      /** @description VALIDATION_FAILED: orderId missing or not a UUID */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  listOrders: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The `nextCursor` of the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OrderPageResponseDto'];
        };
      };
      /** @description Invalid limit (VALIDATION_FAILED) or cursor (ORDERS.INVALID_CURSOR) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  placeOrder: {
    parameters: {
      query?: never;
      header: {
        /** @description A new unique value (a UUID) per order; repeat it only to retry the same request */
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PlaceOrderRequestDto'];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description The order: /v1/orders/{id} */
          Location?: string;
          /** @description Present (true) when this is the stored response of an earlier request */
          'Idempotent-Replayed'?: string;
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OrderResponseDto'];
        };
      };
      /** @description Accepted while the catalog could not be reached: the order is `awaiting_stock`, with its `requestedItems`, no lines, `currency` "" and `total` 0 until it is priced. Poll it. */
      202: {
        headers: {
          /** @description The order: /v1/orders/{id} */
          Location?: string;
          /** @description Present (true) when this is the stored response of an earlier request */
          'Idempotent-Replayed'?: string;
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OrderResponseDto'];
        };
      };
      /** @description Invalid body (VALIDATION_FAILED, ORDERS.INVALID_ORDER), missing or malformed Idempotency-Key (ORDERS.IDEMPOTENCY_KEY_REQUIRED, ORDERS.INVALID_IDEMPOTENCY_KEY) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description ORDERS.OUT_OF_STOCK (nothing reserved; `productIds` and `shortages`, the short lines with the quantities requested, never the units in stock) or ORDERS.IDEMPOTENCY_KEY_IN_PROGRESS (retry shortly) */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description PAYLOAD_TOO_LARGE: the body is over the size limit */
      413: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNSUPPORTED_MEDIA_TYPE: the body is not of a type listed here */
      415: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description ORDERS.PRODUCTS_UNAVAILABLE (unknown or inactive `productIds`), ORDERS.MIXED_CURRENCIES, ORDERS.IDEMPOTENCY_KEY_REUSED (the key was used with another body) */
      422: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: the database is not answering; retry after Retry-After with the same Idempotency-Key */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  getOrder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OrderResponseDto'];
        };
      };
      /** @description VALIDATION_FAILED: the id is not a UUID */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description ORDERS.ORDER_NOT_FOUND: no such order, or it is someone else's */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  cancelOrder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OrderResponseDto'];
        };
      };
      /** @description VALIDATION_FAILED: the id is not a UUID */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description ORDERS.ORDER_NOT_FOUND */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description ORDERS.ILLEGAL_TRANSITION: shipped or already cancelled (`currentStatus`) */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  shipOrder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OrderResponseDto'];
        };
      };
      /** @description VALIDATION_FAILED: the id is not a UUID */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description FORBIDDEN: the token lacks the role admin */
      403: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description ORDERS.ORDER_NOT_FOUND */
      404: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description ORDERS.ILLEGAL_TRANSITION: the order is not paid (`currentStatus`) */
      409: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  listNotifications: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The `nextCursor` of the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationPageResponseDto'];
        };
      };
      /** @description Invalid limit (VALIDATION_FAILED) or cursor (NOTIFICATIONS.INVALID_CURSOR) */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
  listFailedDeliveryJobs: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FailedJobsResponseDto'];
        };
      };
      /** @description VALIDATION_FAILED: a parameter or the body is invalid */
      400: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours */
      401: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description FORBIDDEN: the token lacks the role admin */
      403: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description RATE_LIMITED: too many requests; see Retry-After */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description INTERNAL: unexpected error, logged with the request id */
      500: {
        headers: {
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
      /** @description SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemDocument'];
        };
      };
    };
  };
}
