import { randomInt } from 'node:crypto';
import { ReadReplicas } from '#lib/database';
import type { Repository } from 'typeorm';
import type { Product } from '../../../libs/catalog/src/domain/product.js';
import { ProductRecord } from '../../../libs/catalog/src/repositories/product.record.js';
import type {
  ProductSearch,
  ProductSortField,
  SortOrder,
} from '../../../libs/catalog/src/repositories/product.repository.js';
import { TypeormProductRepository } from '../../../libs/catalog/src/repositories/product.typeorm-repository.js';
import { type CatalogDatabase, openCatalogDatabase, uniqueWord } from './catalog-database.js';

/** The adapter's two query shapes, callable one at a time (ADR 0043). */
class SearchShapes extends TypeormProductRepository {
  constructor(
    db: CatalogDatabase,
    private readonly records: Repository<ProductRecord> = db.dataSource.getRepository(
      ProductRecord,
    ),
  ) {
    super(db.transactions, new ReadReplicas(db.transactions));
  }

  async walk(search: ProductSearch, budget: number): Promise<string[]> {
    const found = await this.walkSortOrder(this.records, search, search.text ?? '', budget);
    return found.map((record) => record.id);
  }

  async matches(search: ProductSearch): Promise<string[]> {
    const found = await this.sortMatches(this.records, search, search.text ?? '');
    return found.map((record) => record.id);
  }
}

type Fetch = (search: ProductSearch) => Promise<string[]>;

describe('TypeormProductRepository text search, by query shape', () => {
  const common = uniqueWord();
  const rare = uniqueWord();
  let db: CatalogDatabase;
  let shapes: SearchShapes;
  let created: Product[];
  let byId: Map<string, Product>;

  beforeAll(async () => {
    db = await openCatalogDatabase();
    shapes = new SearchShapes(db);
    // Far in the future, so a createdAt desc listing starts with these products.
    const base = new Date(Date.UTC(3000, 0, 1) + randomInt(0, 2 ** 40));
    // bravo alone at 2.5 s: its place in createdAt order is known, whatever the ids.
    const specs: [string, number, number][] = [
      ['delta', 500, 3],
      ['alpha', 300, 1],
      ['echo', 300, 2],
      [`bravo ${rare}`, 300, 2.5],
      ['charlie', 100, 0],
      ['foxtrot', 900, 2],
      ['golf', 300, 5],
      ['hotel', 700, 4],
    ];
    created = [];
    for (const [name, amount, seconds] of specs) {
      created.push(
        await db.newProduct({
          name: `${common} ${name}`,
          amount,
          at: new Date(base.getTime() + seconds * 1000),
          description: 'Stoneware',
        }),
      );
    }
    const retired = await db.newProduct({ name: `${common} ${rare} retired`, at: base });
    retired.deactivate(new Date());
    await db.products.saveIfVersion(retired, 1);
    byId = new Map(created.map((product) => [product.id, product]));
  });

  afterAll(() => db.close());

  const sortKey = (product: Product, sort: ProductSortField): string | number =>
    sort === 'name'
      ? product.name
      : sort === 'price'
        ? product.price.amount
        : product.createdAt.getTime();

  // Postgres orders uuids by their bytes, which is the order of their lower-case text.
  const expectedOrder = (text: string, sort: ProductSortField, order: SortOrder): string[] => {
    const sign = order === 'asc' ? 1 : -1;
    return created
      .filter((product) => product.name.split(' ').includes(text))
      .sort((left, right) => {
        const [a, b] = [sortKey(left, sort), sortKey(right, sort)];
        return sign * (a < b ? -1 : a > b ? 1 : left.id < right.id ? -1 : 1);
      })
      .map((product) => product.id);
  };

  const positionOf = (id: string, sort: ProductSortField): ProductSearch['after'] => {
    const product = byId.get(id)!;
    return {
      value: sort === 'createdAt' ? product.createdAt.toISOString() : sortKey(product, sort),
      id,
    };
  };

  /** Pages of 3 through the cursor until a short page, as ListProductsService reads them. */
  const walkPages = async (
    fetch: Fetch,
    text: string,
    sort: ProductSortField,
    order: SortOrder,
  ): Promise<string[]> => {
    const seen: string[] = [];
    let after: ProductSearch['after'];
    for (let page = 0; page < 10; page += 1) {
      const found = await fetch({ text, sort, order, limit: 3, ...(after && { after }) });
      seen.push(...found);
      const last = found.at(-1);
      if (found.length < 3 || last === undefined) break;
      after = positionOf(last, sort);
    }
    return seen;
  };

  const SHAPES: [string, (shapes: SearchShapes) => Fetch][] = [
    // A budget beyond the table: the walk alone must find every match, in order.
    ['walking the sort order', (s) => (search) => s.walk(search, Number.MAX_SAFE_INTEGER)],
    ['sorting the GIN matches', (s) => (search) => s.matches(search)],
    [
      'search() choosing the shape',
      (s) => (search) => s.search(search).then((found) => found.map((product) => product.id)),
    ],
  ];
  const SORTS = [
    ['price', 'asc'],
    ['price', 'desc'],
    ['name', 'asc'],
    ['name', 'desc'],
    ['createdAt', 'asc'],
    ['createdAt', 'desc'],
  ] as const;

  describe.each(SHAPES)('%s', (_shape, fetchOf) => {
    it.each(SORTS)(
      'pages through the common word by %s %s, ties broken by id',
      async (sort, order) => {
        const seen = await walkPages(fetchOf(shapes), common, sort, order);
        expect(seen).toHaveLength(8);
        expect(seen).toEqual(expectedOrder(common, sort, order));
      },
    );

    it.each(SORTS)('finds the one product of the rare word by %s %s', async (sort, order) => {
      const seen = await walkPages(fetchOf(shapes), rare, sort, order);
      expect(seen).toEqual([created[3].id]);
    });

    it('finds nothing for a word no product on sale holds', async () => {
      const text = `${rare} retired`; // only the product off sale holds both
      expect(await fetchOf(shapes)({ text, sort: 'name', order: 'asc', limit: 3 })).toEqual([]);
    });
  });

  it('walks no further than its budget', async () => {
    // After the newest product come hotel (4 s), delta (3 s), then the rare word's bravo (2.5 s).
    const order = expectedOrder(common, 'createdAt', 'desc');
    const after = positionOf(order[0], 'createdAt');
    const search: ProductSearch = { text: rare, sort: 'createdAt', order: 'desc', limit: 3, after };
    expect(order.indexOf(created[3].id)).toBe(3);

    expect(await shapes.walk(search, 2)).toEqual([]);
    expect(await shapes.walk(search, 3)).toEqual([created[3].id]);
  });
});
