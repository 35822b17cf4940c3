import { runOrderWalkthrough } from '../../clients/typescript/examples/order-walkthrough.js';
import { Shop } from './orders-shop.js';

/**
 * The generated TypeScript client (clients/typescript/) runs the README's walk-through against
 * the app: if the document and the API disagreed on a path, a parameter or a body, a step would
 * be refused here.
 */
describe('the generated TypeScript client', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await Shop.open();
    // The catalog may be empty in a fresh database: the walk-through buys what is on sale.
    await shop.createProduct(20, 1_499);
  });
  afterAll(async () => {
    await shop?.close();
  });

  it("runs the README's order walk-through: register, log in, browse, order, read it back", async () => {
    const steps: string[] = [];

    const { email, placed, readBack } = await runOrderWalkthrough(shop.app.baseUrl, (line) =>
      steps.push(line),
    );

    expect(steps).toHaveLength(5);
    expect(placed.status).toBe('pending_payment');
    expect(placed.lines).toHaveLength(1);
    expect(placed.total).toBe(placed.lines[0]?.lineTotal);
    expect(readBack.id).toBe(placed.id);
    expect(readBack.customerId).toBe(placed.customerId);
    expect(steps[0]).toContain(email);
  });

  it("reports the API's problem document when a step is refused", async () => {
    await expect(
      runOrderWalkthrough(`${shop.app.baseUrl}/nowhere`, () => undefined),
    ).rejects.toThrow(/register: 404 .*NOT_FOUND/);
  });
});
