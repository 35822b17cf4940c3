import { randomInt, randomUUID } from 'node:crypto';
import { Money } from '../../../libs/catalog/src/domain/money.js';
import { Product } from '../../../libs/catalog/src/domain/product.js';
import { SkuTakenError } from '../../../libs/catalog/src/domain/product.errors.js';
import type {
  ProductSearch,
  ProductSortField,
  SortOrder,
} from '../../../libs/catalog/src/repositories/product.repository.js';
import {
  type CatalogDatabase,
  openCatalogDatabase,
  uniqueSku,
  uniqueWord,
} from './catalog-database.js';

describe('TypeormProductRepository against PostgreSQL', () => {
  let db: CatalogDatabase;

  beforeAll(async () => {
    db = await openCatalogDatabase();
  });

  afterAll(() => db.close());

  it('stores a product and reads it back with every field intact', async () => {
    const product = await db.newProduct({
      name: 'Espresso cup',
      description: 'Porcelain, 80 ml',
      amount: 2 ** 40,
      currency: 'JPY',
      stock: 7,
      at: new Date('2026-05-06T07:08:09.123Z'),
    });

    expect((await db.products.findById(product.id))?.toSnapshot()).toEqual(product.toSnapshot());
    expect((await db.products.findByIds([product.id, randomUUID()])).map((p) => p.id)).toEqual([
      product.id,
    ]);
    expect(await db.products.findById(randomUUID())).toBeNull();
  });

  it("reads by id within the caller's transaction: its uncommitted change inside, the committed row outside", async () => {
    const product = await db.newProduct({ name: 'Saucer' });
    const renamed = Product.restore({ ...product.toSnapshot(), name: 'Saucer, blue', version: 2 });
    let readInside: string | undefined;
    await expect(
      db.transactions.run(async () => {
        expect(await db.products.saveIfVersion(renamed, product.version)).toBe(true);
        readInside = (await db.products.findById(product.id))?.name;
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(readInside).toBe('Saucer, blue');
    expect((await db.products.findById(product.id))?.name).toBe('Saucer');
  });

  it('lets exactly one of two concurrent inserts of one SKU win, the other with SkuTakenError', async () => {
    const sku = uniqueSku('DUP');
    const make = (): Product => {
      const product = Product.create({
        sku,
        name: 'Dup',
        price: Money.of(1, 'EUR'),
        stock: 1,
        now: new Date(),
      });
      db.track(product);
      return product;
    };

    const results = await Promise.allSettled([
      db.products.insert(make()),
      db.products.insert(make()),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = results.filter((result) => result.status === 'rejected');
    expect(rejected.reason).toBeInstanceOf(SkuTakenError);
  });

  it('saves an edit only over the version it was based on', async () => {
    const product = await db.newProduct({ stock: 3 });
    const mine = (await db.products.findById(product.id))!;
    const theirs = (await db.products.findById(product.id))!;

    theirs.revise({ stock: 10 }, new Date());
    expect(await db.products.saveIfVersion(theirs, 1)).toBe(true);
    mine.revise({ name: 'Mine' }, new Date());
    expect(await db.products.saveIfVersion(mine, 1)).toBe(false);

    const stored = (await db.products.findById(product.id))!;
    expect(stored.version).toBe(2);
    expect(stored.stock).toBe(10);
    expect(stored.name).toBe('Test product');
  });

  it('is protected by the database against negative stock', async () => {
    const product = await db.newProduct({ stock: 1 });
    await expect(
      db.dataSource.query('UPDATE catalog.products SET stock = -1 WHERE id = $1', [product.id]),
    ).rejects.toThrow(/products_stock_not_negative/);
  });

  it('withdraws every line in one go and returns the products as it left them, every field intact', async () => {
    const cup = await db.newProduct({ amount: 2 ** 40, currency: 'JPY', stock: 5 });
    const pot = await db.newProduct({ amount: 1250, currency: 'JPY', stock: 3 });
    const now = new Date('2026-06-07T08:09:10.456Z');
    const [first, second] = [cup, pot].sort((a, b) => (a.id < b.id ? -1 : 1));

    const withdrawal = await db.transactions.run(() =>
      db.products.withdrawStock(
        [
          { productId: first.id, quantity: 2 },
          // A request may spell a uuid in capitals; the row still counts as served.
          { productId: second.id.toUpperCase(), quantity: 3 },
        ],
        now,
      ),
    );

    expect(withdrawal.failures).toEqual([]);
    const stored = await db.products.findByIds([cup.id, pot.id]);
    const byId = (products: readonly Product[]) =>
      Object.fromEntries(products.map((product) => [product.id, product.toSnapshot()]));
    expect(byId(withdrawal.products)).toEqual(byId(stored));
    expect(byId(stored)[first.id]).toMatchObject({ stock: first.stock - 2, updatedAt: now });
    expect(byId(stored)[second.id]).toMatchObject({ stock: second.stock - 3, updatedAt: now });
    expect(byId(stored)[cup.id].price).toEqual(Money.of(2 ** 40, 'JPY'));
  });

  it('names every line a withdrawal could not serve, and returns no products then', async () => {
    const onSale = await db.newProduct({ stock: 5 });
    const short = await db.newProduct({ stock: 1 });
    const unknown = randomUUID();
    const lines = [
      { productId: onSale.id, quantity: 1 },
      { productId: short.id, quantity: 2 },
      { productId: unknown, quantity: 1 },
    ].sort((a, b) => (a.productId < b.productId ? -1 : 1));

    const withdrawal = await db.transactions.run(() =>
      db.products.withdrawStock(lines, new Date()),
    );

    expect(withdrawal.products).toEqual([]);
    expect(new Set(withdrawal.failures)).toEqual(
      new Set([
        { productId: short.id, reason: 'insufficient', requested: 2 },
        { productId: unknown, reason: 'unknown' },
      ]),
    );
  });

  describe('full-text search', () => {
    const word = uniqueWord();
    // W stands for this suite's word, so only its own products can match.
    const search = (text: string): Promise<string[]> =>
      db.products
        .search({ text: text.replaceAll('W', word), sort: 'name', order: 'asc', limit: 50 })
        .then((products) => products.map((product) => product.name));

    beforeAll(async () => {
      await db.newProduct({ name: `Blue mugs ${word}`, description: 'Stoneware for coffee' });
      await db.newProduct({ name: `Red mug ${word}`, description: 'Enamel, for the campfire' });
      await db.newProduct({ name: `Green tea ${word}`, description: 'Loose leaves in a tin' });
      await db.newProduct({ name: `Tea cup ${word}`, description: 'Bone china' });
      const retired = await db.newProduct({ name: `Old mug ${word}`, description: 'Chipped' });
      retired.deactivate(new Date());
      await db.products.saveIfVersion(retired, 1);
    });

    it.each([
      ['matches stems: "mug" finds "mugs"', 'W mug', [`Blue mugs`, `Red mug`]],
      ['searches descriptions too', 'W campfire', [`Red mug`]],
      ['requires every word', 'W tea leaves', [`Green tea`]],
      ['supports quoted phrases', 'W "tea cup"', [`Tea cup`]],
      ['supports exclusions', 'W mug -enamel', [`Blue mugs`]],
      ['supports or', 'W china or W campfire', [`Red mug`, `Tea cup`]],
      ['ignores stray syntax instead of failing', 'W mug & | ! (', [`Blue mugs`, `Red mug`]],
      ['finds nothing for an unknown word', 'W saxophone', []],
    ])('%s', async (_case, text, expected) => {
      const names = await search(text);
      expect(names).toEqual(expected.map((name) => `${name} ${word}`));
    });

    it('never lists products off sale', async () => {
      expect(await search('W chipped')).toEqual([]);
    });

    it('is served by the GIN index', async () => {
      const plan = await db.transactions.run(async () => {
        await db.transactions.manager.query('SET LOCAL enable_seqscan = off');
        const rows = await db.transactions.manager.query<{ 'QUERY PLAN': string }[]>(
          `EXPLAIN SELECT id FROM catalog.products
           WHERE search_vector @@ websearch_to_tsquery('english', $1)`,
          [word],
        );
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('products_search_vector_idx');
    });
  });

  describe('keyset pagination', () => {
    const word = uniqueWord();
    let created: Product[];
    // Postgres orders uuids by their bytes, which is the order of their lower-case text.
    const byId = (left: Product, right: Product): number => (left.id < right.id ? -1 : 1);

    beforeAll(async () => {
      const base = new Date(Date.UTC(2800, 0, 1) + randomInt(0, 2 ** 40));
      const at = (seconds: number) => new Date(base.getTime() + seconds * 1000);
      const specs: [string, number, number][] = [
        ['delta', 500, 3],
        ['alpha', 300, 1],
        ['echo', 300, 2],
        ['bravo', 300, 2],
        ['charlie', 100, 0],
        ['foxtrot', 900, 2],
        ['golf', 300, 5],
      ];
      created = [];
      for (const [name, amount, seconds] of specs) {
        created.push(
          await db.newProduct({
            name: `${word} ${name}`,
            amount,
            at: at(seconds),
            description: '',
          }),
        );
      }
    });

    const sortKey = (product: Product, sort: ProductSortField): string | number =>
      sort === 'name'
        ? product.name
        : sort === 'price'
          ? product.price.amount
          : product.createdAt.getTime();

    const expectedOrder = (sort: ProductSortField, order: SortOrder): string[] => {
      const sign = order === 'asc' ? 1 : -1;
      return [...created]
        .sort((left, right) => {
          const [a, b] = [sortKey(left, sort), sortKey(right, sort)];
          return sign * (a < b ? -1 : a > b ? 1 : byId(left, right));
        })
        .map((product) => product.id);
    };

    it.each([
      ['price', 'asc'],
      ['price', 'desc'],
      ['name', 'asc'],
      ['name', 'desc'],
      ['createdAt', 'asc'],
      ['createdAt', 'desc'],
    ] as const)('walks every product once by %s %s, ties broken by id', async (sort, order) => {
      const seen: string[] = [];
      let after: ProductSearch['after'];
      for (let page = 0; page < 10; page += 1) {
        const found = await db.products.search({
          text: word,
          sort,
          order,
          limit: 3,
          ...(after && { after }),
        });
        seen.push(...found.map((product) => product.id));
        const last = found.at(-1);
        if (found.length < 3 || !last) break;
        after = {
          value: sort === 'createdAt' ? last.createdAt.toISOString() : sortKey(last, sort),
          id: last.id,
        };
      }
      expect(seen).toEqual(expectedOrder(sort, order));
    });

    it('seeks through the partial (price, id) index', async () => {
      const plan = await db.transactions.run(async () => {
        await db.transactions.manager.query('SET LOCAL enable_seqscan = off');
        const rows = await db.transactions.manager.query<{ 'QUERY PLAN': string }[]>(
          `EXPLAIN SELECT id FROM catalog.products p
           WHERE p.active AND (p.price_amount, p.id) > (300::bigint, $1::uuid)
           ORDER BY p.price_amount, p.id LIMIT 20`,
          [created[0].id],
        );
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('products_on_sale_price_id_idx');
    });
  });
});
