import type { RunningApp } from '../support/app-process.js';
import { e2eMode } from '../support/e2e-mode.js';
import { recordSuiteResult } from '../support/reliability-report.js';
import { type Customer, type OrderBody, type ProductBody, Shop } from '../e2e/orders-shop.js';
import { type FuzzedOperation, type OpenApiDocument, operationsOf } from './openapi-requests.js';

const CONTEXTS = ['identity', 'catalog', 'orders', 'payments', 'notifications'] as const;

/** `npm run test:security` sets FULL_SUITES=1: the full request counts; otherwise CI's fast subset. */
export const fullRun = (): boolean => process.env.FULL_SUITES === '1';

/** Which deployment a suite ran against, for its section of docs/RELIABILITY.md. */
export const modeTitle = (): string =>
  e2eMode() === 'split' ? 'split mode behind the gateway' : 'monolith';

/** Records one suite's figures for this mode in docs/RELIABILITY.md (on a full run only). */
export function recordSecurityResult(suite: number, title: string, markdown: string): void {
  recordSuiteResult(
    `security-${suite}-${e2eMode()}`,
    `${suite}. ${title} (${modeTitle()})`,
    markdown,
  );
}

/**
 * How long the apps may take to become ready, and the suites' hooks to open the shop: `npm test`
 * starts these stacks beside every other suite's on a busy 2-core machine.
 */
const SHOP_START_MS = 120_000;
export const OPEN_SHOP_BUDGET_MS = 180_000;

/** What the security suites attack: an admin, two customers, a product and one order each. */
export interface SecurityShop {
  readonly shop: Shop;
  readonly victim: Customer;
  readonly attacker: Customer;
  readonly product: ProductBody;
  readonly victimOrder: OrderBody;
  readonly attackerOrder: OrderBody;
}

/** Opens the app (monolith or split stack, by jest project) with the cast every suite needs. */
export async function openSecurityShop(env: Record<string, string> = {}): Promise<SecurityShop> {
  const shop = await Shop.open(env, { timeoutMs: SHOP_START_MS });
  try {
    const [victim, attacker] = [
      await shop.registerCustomer('victim'),
      await shop.registerCustomer('attacker'),
    ];
    const product = await shop.createProduct(1_000_000, 990);
    const orderOf = async (customer: Customer): Promise<OrderBody> => {
      const response = await shop.placeOrder(customer.token, [
        { productId: product.id, quantity: 1 },
      ]);
      if (response.status !== 201) {
        throw new Error(`order failed: ${response.status} ${await response.text()}`);
      }
      return (await response.json()) as OrderBody;
    };
    return {
      shop,
      victim,
      attacker,
      product,
      victimOrder: await orderOf(victim),
      attackerOrder: await orderOf(attacker),
    };
  } catch (error) {
    await shop.close();
    throw error;
  }
}

/**
 * Every operation the running app documents. Each app serves the document of its own routes
 * (ADR 0027; the gateway publishes none), the monolith one document of all of them.
 */
export async function documentedOperations(app: RunningApp): Promise<FuzzedOperation[]> {
  const documents = await Promise.all(
    appUrls(app).map(async (url) => {
      const response = await fetch(`${url}/docs/openapi.json`);
      if (response.status !== 200) throw new Error(`${url}/docs/openapi.json: ${response.status}`);
      return (await response.json()) as OpenApiDocument;
    }),
  );
  return operationsOf(documents);
}

/** Every app's own address (one, the monolith's, in monolith mode). */
export const appUrls = (app: RunningApp): string[] => [
  ...new Set(CONTEXTS.map((context) => app.urlOf(context))),
];
