import { e2eMode } from '../support/e2e-mode.js';
import { type Customer, type OrderBody, type ProductBody, Shop } from '../e2e/orders-shop.js';

/** `npm run test:security` sets FULL_SUITES=1: the full request counts; otherwise CI's fast subset. */
export const fullRun = (): boolean => process.env.FULL_SUITES === '1';

/** Which deployment a suite ran against, for its section of docs/RELIABILITY.md. */
export const modeTitle = (): string =>
  e2eMode() === 'split' ? 'split mode behind the gateway' : 'monolith';

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
  const shop = await Shop.open(env);
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
