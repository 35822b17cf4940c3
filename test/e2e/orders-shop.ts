import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningApp, type StartOptions, startApp } from '../support/app-process.js';
import { uniqueEmail } from '../support/test-environment.js';

/** What the order e2e suites do over HTTP, as a storefront and an admin tool would. */

const ADMIN_PASSWORD = 'Bootstrap-admin-2026!';
const PASSWORD = 'tangerine-bicycle-42';

export interface Customer {
  readonly id: string;
  readonly token: string;
}

export interface ProductBody {
  id: string;
  sku: string;
  stock: number;
  price: { amountMinor: number; currency: string };
}

export interface OrderBody {
  id: string;
  customerId: string;
  status: string;
  currency: string;
  total: number;
  lines: { productId: string; quantity: number; unitPrice: number; lineTotal: number }[];
  paymentId: string | null;
  cancellationReason: string | null;
  version: number;
}

export interface ProblemBody {
  status: number;
  code: string;
  detail?: string;
  [field: string]: unknown;
}

export interface OrderItem {
  productId: string;
  quantity: number;
}

export class Shop {
  private constructor(
    readonly app: RunningApp,
    readonly adminToken: string,
  ) {}

  /** Starts the app (the monolith by default) with a bootstrap admin; waits until it can log in. */
  static async open(env: Record<string, string> = {}, options: StartOptions = {}): Promise<Shop> {
    const adminEmail = uniqueEmail('orders-admin');
    const app = await startApp({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD, ...env }, options);
    try {
      const token = await eventually(
        () => tokenFor(app, adminEmail, ADMIN_PASSWORD).catch(() => undefined),
        (found) => found !== undefined,
        { what: 'the bootstrap admin to log in', timeoutMs: 20_000, app },
      );
      return new Shop(app, token as string);
    } catch (error) {
      await app.stop();
      throw error;
    }
  }

  close(): Promise<number | null> {
    return this.app.stop();
  }

  request(
    token: string | undefined,
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    return fetch(`${this.app.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  async registerCustomer(label = 'shopper'): Promise<Customer> {
    const email = uniqueEmail(label);
    const response = await this.request(undefined, '/v1/users', {
      method: 'POST',
      body: { email, password: PASSWORD },
    });
    if (response.status !== 201) {
      throw new Error(`registration failed: ${response.status} ${await response.text()}`);
    }
    const { id } = (await response.json()) as { id: string };
    return { id, token: await tokenFor(this.app, email, PASSWORD) };
  }

  async createProduct(
    stock: number,
    amountMinor = 1_250,
    name = 'End-to-end mug',
  ): Promise<ProductBody> {
    const response = await this.request(this.adminToken, '/v1/products', {
      method: 'POST',
      body: {
        sku: `E2E-${randomUUID().slice(0, 13).toUpperCase()}`,
        name,
        description: 'Made for the order tests',
        price: { amountMinor, currency: 'EUR' },
        stock,
      },
    });
    if (response.status !== 201) {
      throw new Error(`product creation failed: ${response.status} ${await response.text()}`);
    }
    return (await response.json()) as ProductBody;
  }

  /** The stock as the public catalog shows it. */
  async stockOf(productId: string): Promise<number> {
    const response = await this.request(undefined, `/v1/products/${productId}`);
    if (response.status !== 200) throw new Error(`product read failed: ${response.status}`);
    return ((await response.json()) as ProductBody).stock;
  }

  /** `idempotencyKey: null` sends no Idempotency-Key header at all. */
  placeOrder(
    token: string,
    items: readonly OrderItem[],
    idempotencyKey: string | null = randomUUID(),
  ): Promise<Response> {
    return this.request(token, '/v1/orders', {
      method: 'POST',
      body: { items },
      headers: idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey },
    });
  }

  async getOrder(token: string, orderId: string): Promise<OrderBody> {
    const response = await this.request(token, `/v1/orders/${orderId}`);
    if (response.status !== 200) throw new Error(`order read failed: ${response.status}`);
    return (await response.json()) as OrderBody;
  }

  /** Polls the order until `predicate` holds. */
  orderEventually(
    token: string,
    orderId: string,
    predicate: (order: OrderBody) => boolean,
    what: string,
  ): Promise<OrderBody> {
    return eventually(() => this.getOrder(token, orderId), predicate, { what, app: this.app });
  }

  stockEventually(productId: string, expected: number): Promise<number> {
    return eventually(
      () => this.stockOf(productId),
      (stock) => stock === expected,
      { what: `stock of ${productId} to be ${expected}`, app: this.app },
    );
  }
}

async function tokenFor(app: RunningApp, username: string, password: string): Promise<string> {
  const response = await fetch(`${app.baseUrl}/v1/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', username, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * Calls `read` until `predicate` holds and returns that value: the saga's steps are asynchronous,
 * so its outcomes are awaited, never assumed after a fixed delay.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  predicate: (value: T) => boolean,
  { what, timeoutMs = 15_000, app }: { what: string; timeoutMs?: number; app?: RunningApp },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (predicate(last)) return last;
    if (Date.now() > deadline) {
      const logs = app ? `\napp logs (tail):\n${app.logs().slice(-4_000)}` : '';
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}${logs}`);
    }
    await sleep(100);
  }
}
