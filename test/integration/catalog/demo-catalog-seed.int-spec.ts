import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { CATALOG_PERSISTENCE, type DemoCatalogSeedProgress, seedDemoCatalog } from '#lib/catalog';
import { openTestDataSource } from '#lib/testing';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

// A database of its own: the seed's counts must not meet other suites' products.
const suffix = `seed_${randomBytes(4).toString('hex')}`;
let dataSource: DataSource;
let client: pg.Client;

beforeAll(async () => {
  dataSource = await openTestDataSource({
    url: TEST_DATABASE_URL,
    features: [CATALOG_PERSISTENCE],
    ownDatabase: suffix,
  });
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_${suffix}`;
  client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await dataSource?.destroy();
  const admin = new pg.Client({
    connectionString: TEST_DATABASE_URL.replace(/\/[^/]*$/, '/postgres'),
  });
  await admin.connect();
  const name = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_${suffix}`;
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

const countProducts = async (): Promise<number> =>
  Number(
    (await client.query<{ n: string }>('SELECT count(*) AS n FROM catalog.products')).rows[0].n,
  );

describe('seedDemoCatalog', () => {
  it('fills a fresh catalog once: a second run inserts nothing, a larger one only the rest', async () => {
    const progress: DemoCatalogSeedProgress[] = [];
    const first = await seedDemoCatalog(client, {
      products: 2500,
      batchSize: 1000,
      onProgress: (step) => progress.push(step),
    });
    expect(first).toBe(2500);
    expect(await countProducts()).toBe(2500);
    expect(progress).toEqual([
      { done: 1000, total: 2500, inserted: 1000 },
      { done: 2000, total: 2500, inserted: 2000 },
      { done: 2500, total: 2500, inserted: 2500 },
    ]);

    const again = await seedDemoCatalog(client, { products: 2500, batchSize: 1000 });
    expect(again).toBe(0);
    expect(await countProducts()).toBe(2500);

    const more = await seedDemoCatalog(client, { products: 3000 });
    expect(more).toBe(500);
    expect(await countProducts()).toBe(3000);
  });

  it('makes orderable, searchable products with stable ids that the API accepts', async () => {
    const { rows } = await client.query<{
      id: string;
      sku: string;
      stock: number;
      active: boolean;
    }>(`SELECT id, sku, stock, active FROM catalog.products WHERE sku = 'DEMO-000001'`);
    expect(rows).toHaveLength(1);
    // Version 4, RFC 4122 variant: what ParseUUIDPipe accepts on GET /v1/products/:id.
    expect(rows[0].id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(rows[0]).toMatchObject({ stock: 1000000, active: true });

    const found = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM catalog.products
        WHERE search_vector @@ websearch_to_tsquery('english', 'coffee')`,
    );
    expect(Number(found.rows[0].n)).toBeGreaterThan(100);
  });

  it('refuses a count outside 1 to 1,000,000', async () => {
    await expect(seedDemoCatalog(client, { products: 0 })).rejects.toThrow(/from 1 to/);
    await expect(seedDemoCatalog(client, { products: 1.5 })).rejects.toThrow(/from 1 to/);
  });
});
