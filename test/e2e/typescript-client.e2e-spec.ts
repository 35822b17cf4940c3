import { randomBytes } from 'node:crypto';
import { runOrderWalkthrough } from '../../clients/typescript/examples/order-walkthrough.js';
import { Shop } from './orders-shop.js';

/**
 * The generated TypeScript client (clients/typescript/) runs the README's walk-through against
 * the app: if the document and the API disagreed on a path, a parameter or a body, a step would
 * be refused here.
 */
describe('the generated TypeScript client', () => {
  // A word no other product has: the walk-through searches for it, so that it buys this test's
  // product and never one another test running beside it is counting the stock of.
  const word = `walkthrough${randomBytes(6).toString('hex')}`;
  let shop: Shop;
  let productId: string;

  beforeAll(async () => {
    shop = await Shop.open();
    productId = (await shop.createProduct(20, 1_499, `Kettle ${word}`)).id;
  });
  afterAll(async () => {
    await shop?.close();
  });

  it("runs the README's order walk-through: register, log in, browse, order, read it back", async () => {
    const steps: string[] = [];

    const { email, placed, readBack } = await runOrderWalkthrough(
      shop.app.baseUrl,
      (line) => steps.push(line),
      word,
    );

    expect(steps).toHaveLength(5);
    expect(placed.status).toBe('pending_payment');
    expect(placed.lines).toEqual([expect.objectContaining({ productId, quantity: 1 })]);
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
