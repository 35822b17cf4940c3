import { orderIn } from '../testing/order-builder.js';
import { ordersFakes } from '../testing/orders-fakes.js';
import { ListOrdersService } from './list-orders.service.js';
import { InvalidOrderPageCursorError } from './order-page-cursor.js';

const ANN = '5d6f8c1e-7c55-4c3e-9d2b-2f9f4d9b7a10';
const BOB = '7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
const ADMIN = { id: '11111111-2222-4333-8444-555555555555', isAdmin: true };
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute));

async function setup() {
  const { orders } = ordersFakes();
  const placed = [
    await orders.seed(orderIn('pending_payment', ANN, at(1))),
    await orders.seed(orderIn('paid', BOB, at(2))),
    await orders.seed(orderIn('cancelled', ANN, at(3))),
    await orders.seed(orderIn('shipped', ANN, at(4))),
  ];
  return { service: new ListOrdersService(orders), placed };
}

describe('ListOrdersService', () => {
  it("lists only the customer's own orders, newest first", async () => {
    const { service, placed } = await setup();
    const page = await service.page({ id: ANN, isAdmin: false }, { limit: 10 });
    expect(page.orders.map((order) => order.id)).toEqual([
      placed[3].id,
      placed[2].id,
      placed[0].id,
    ]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('lists every order for an admin, page after page without gaps or repeats', async () => {
    const { service, placed } = await setup();
    const first = await service.page(ADMIN, { limit: 3 });
    expect(first.nextCursor).toBeDefined();
    const second = await service.page(ADMIN, { limit: 3, cursor: first.nextCursor });

    expect([...first.orders, ...second.orders].map((order) => order.id)).toEqual(
      [...placed].reverse().map((order) => order.id),
    );
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses a cursor it did not issue', async () => {
    const { service } = await setup();
    await expect(
      service.page(ADMIN, { limit: 3, cursor: 'bm90LWEtY3Vyc29y' }),
    ).rejects.toBeInstanceOf(InvalidOrderPageCursorError);
  });
});
