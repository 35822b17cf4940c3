import { randomUUID } from 'node:crypto';
import type { AuthenticatedUser } from '#lib/guards';
import { type PaymentsTestKit, paymentsTestKit } from '../testing/payments-test-kit.js';

describe("listing an order's payments", () => {
  let kit: PaymentsTestKit;
  const owner: AuthenticatedUser = { id: randomUUID(), roles: ['customer'], tokenId: 't1' };
  const stranger: AuthenticatedUser = { id: randomUUID(), roles: ['customer'], tokenId: 't2' };
  const admin: AuthenticatedUser = { id: randomUUID(), roles: ['admin'], tokenId: 't3' };
  const orderId = randomUUID();

  beforeEach(async () => {
    kit = paymentsTestKit();
    await kit.openPayment.open({
      orderId,
      customerId: owner.id,
      amount: 500,
      currency: 'USD',
      correlationId: 'c',
    });
  });
  afterEach(() => {
    kit.close();
  });

  it.each([
    ['the customer who placed the order', owner, 1],
    ['an admin', admin, 1],
    ['another customer', stranger, 0],
  ])('shows %s the payments they may see', async (_who, viewer, count) => {
    const payments = await kit.listOrderPayments.forOrder(orderId, viewer);

    expect(payments).toHaveLength(count);
    if (count > 0) expect(payments[0]?.orderId).toBe(orderId);
  });

  it("answers an order without a payment exactly as another customer's order", async () => {
    expect(await kit.listOrderPayments.forOrder(randomUUID(), owner)).toEqual([]);
  });
});
