import { catalogFakes } from '../testing/catalog-fakes.js';
import { ListProductsService } from './list-products.service.js';
import { InvalidPageCursorError } from './product-page-cursor.js';

async function setup() {
  const fakes = catalogFakes();
  const specs: [string, string, number][] = [
    ['MUG-1', 'Blue mug', 1200],
    ['MUG-2', 'Red mug', 900],
    ['TEA-1', 'Green tea', 450],
    ['TEA-2', 'Black tea', 500],
    ['CUP-1', 'Tea cup', 700],
  ];
  for (const [sku, name, price] of specs) {
    fakes.clock.advanceSeconds(1);
    await fakes.createProduct.create({ sku, name, priceAmount: price, currency: 'EUR', stock: 1 });
  }
  return { ...fakes, service: new ListProductsService(fakes.products) };
}

describe('ListProductsService', () => {
  it.each([
    [
      'price ascending',
      'price',
      'asc',
      ['Green tea', 'Black tea', 'Tea cup', 'Red mug', 'Blue mug'],
    ],
    [
      'name descending',
      'name',
      'desc',
      ['Tea cup', 'Red mug', 'Green tea', 'Blue mug', 'Black tea'],
    ],
    [
      'newest first',
      'createdAt',
      'desc',
      ['Tea cup', 'Black tea', 'Green tea', 'Red mug', 'Blue mug'],
    ],
  ] as const)(
    'walks every product exactly once, two per page, by %s',
    async (_case, sort, order, expected) => {
      const { service } = await setup();
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await service.page({ sort, order, limit: 2, ...(cursor && { cursor }) });
        seen.push(...page.products.map((product) => product.name));
        cursor = page.nextCursor;
      } while (cursor !== undefined);

      expect(seen).toEqual(expected);
    },
  );

  it('filters by text and leaves no next cursor on the last page', async () => {
    const { service } = await setup();
    const page = await service.page({ text: ' tea ', sort: 'name', order: 'asc', limit: 10 });
    expect(page.products.map((product) => product.name)).toEqual([
      'Black tea',
      'Green tea',
      'Tea cup',
    ]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('refuses a cursor taken from another sort order or filter', async () => {
    const { service } = await setup();
    const { nextCursor } = await service.page({ sort: 'price', order: 'asc', limit: 1 });

    await expect(
      service.page({ sort: 'name', order: 'asc', limit: 1, cursor: nextCursor }),
    ).rejects.toBeInstanceOf(InvalidPageCursorError);
    await expect(
      service.page({ sort: 'price', order: 'asc', text: 'tea', limit: 1, cursor: nextCursor }),
    ).rejects.toBeInstanceOf(InvalidPageCursorError);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON of the wrong shape', Buffer.from('{"x":1}').toString('base64url')],
    [
      'a value of the wrong type for its sort',
      Buffer.from(
        JSON.stringify({
          sort: 'price',
          order: 'asc',
          position: { value: 'cheap', id: '00000000-0000-4000-8000-000000000000' },
        }),
      ).toString('base64url'),
    ],
    [
      'an id that is not a UUID',
      Buffer.from(
        JSON.stringify({ sort: 'name', order: 'asc', position: { value: 'a', id: "1' OR 1=1" } }),
      ).toString('base64url'),
    ],
  ])('refuses a cursor that is %s', async (_case, cursor) => {
    const { service } = await setup();
    await expect(
      service.page({ sort: 'price', order: 'asc', limit: 1, cursor }),
    ).rejects.toBeInstanceOf(InvalidPageCursorError);
  });
});
