import { Logger } from '@nestjs/common';
import { ConfigEnvironment, ConfigModule } from '#lib/config';
import { DatabaseConnection, DatabaseModule, ReadReplicas } from '#lib/database';
import { MessagingModule } from '#lib/messaging';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { CatalogModule } from '../../../libs/catalog/src/catalog.module.js';
import type { Product } from '../../../libs/catalog/src/domain/product.js';
import { CreateProductService } from '../../../libs/catalog/src/services/create-product.service.js';
import { GetProductService } from '../../../libs/catalog/src/services/get-product.service.js';
import { ListProductsService } from '../../../libs/catalog/src/services/list-products.service.js';
import { ProductCacheAside } from '../../../libs/catalog/src/services/product-cache-aside.js';
import { UpdateProductService } from '../../../libs/catalog/src/services/update-product.service.js';
import { eventually } from '../../e2e/orders-shop.js';
import { uniqueSku, uniqueWord } from '../catalog/catalog-database.js';
import { type PrivateService, startPrivatePostgres } from '../../support/private-services.js';
import { type StreamingReplica, startStreamingReplica } from '../../support/streaming-replica.js';
import { testAppEnvironment } from '../../support/test-environment.js';

/**
 * The catalog with DATABASE_READ_REPLICA_URLS naming a real streaming replica. The primary is a
 * private cluster, not the shared one: the shared server accepts no replication connections, and
 * its configuration is not this suite's to change. Pausing the replica's replay makes it lag on
 * demand, so which server answered shows in the data, without timing.
 */
describe('read replicas: the catalog against a primary and its streaming replica', () => {
  let primary: PrivateService;
  let replica: StreamingReplica;
  let app: TestingModule;
  let primaryData: DataSource;
  const word = uniqueWord();
  const createdIds: string[] = [];

  const listedNames = async (): Promise<string[]> => {
    const page = await app.get(ListProductsService).page({
      text: word,
      sort: 'name',
      order: 'asc',
      limit: 50,
    });
    return page.products.map((product) => product.name);
  };

  /** Polls the listing until it shows `name`: replication and the replica's probe take a while. */
  const untilListed = (name: string): Promise<string[]> =>
    eventually(listedNames, (names) => names.includes(name), {
      what: `the listing to show ${name}`,
      timeoutMs: 60_000,
    });

  const createProduct = async (name: string): Promise<Product> => {
    const product = await app.get(CreateProductService).create({
      sku: uniqueSku('REPL'),
      name,
      priceAmount: 1500,
      currency: 'EUR',
      stock: 5,
    });
    createdIds.push(product.id);
    return product;
  };

  const renameOnPrimary = (id: string, name: string) =>
    primaryData.query('UPDATE catalog.products SET name = $2 WHERE id = $1', [id, name]);

  beforeAll(async () => {
    Logger.overrideLogger(false);
    primary = await startPrivatePostgres();
    replica = await startStreamingReplica(primary.url);
    app = await Test.createTestingModule({
      imports: [
        ConfigModule,
        DatabaseModule.forRoot(),
        MessagingModule.forRoot({ relay: { enabled: false } }),
        CatalogModule.forRoot({ cacheTtlSeconds: 30 }),
      ],
    })
      .overrideProvider(ConfigEnvironment)
      .useValue(
        new ConfigEnvironment(
          testAppEnvironment({
            DATABASE_URL: primary.url,
            DATABASE_READ_REPLICA_URLS: replica.url,
          }),
        ),
      )
      .compile();
    await app.init();
    await app.get(DatabaseConnection).whenReady();
    primaryData = app.get(DataSource);
    await eventually(
      () => Promise.resolve(app.get(ReadReplicas).replicasUp),
      (up) => up === 1,
      { what: 'the replica to serve reads', timeoutMs: 60_000 },
    );
  }, 240_000);

  afterAll(async () => {
    await app?.get(ProductCacheAside).invalidate(createdIds);
    await app?.close();
    await replica?.remove();
    await primary?.remove();
  }, 120_000);

  it('lists products from the replica: a change it has not replayed yet is not listed', async () => {
    const product = await createProduct(`Lamp ${word}`);
    await untilListed(`Lamp ${word}`);

    await replica.pauseReplay();
    try {
      await renameOnPrimary(product.id, `Desk lamp ${word}`);

      expect(await listedNames()).toEqual([`Lamp ${word}`]);
      const [onPrimary] = await primaryData.query<{ name: string }[]>(
        'SELECT name FROM catalog.products WHERE id = $1',
        [product.id],
      );
      expect(onPrimary?.name).toBe(`Desk lamp ${word}`);
    } finally {
      await replica.resumeReplay();
    }
    await untilListed(`Desk lamp ${word}`);
  });

  it('writes on the primary, and an admin reads an edit back at once while the replica lags', async () => {
    await replica.pauseReplay();
    try {
      // The replica is read-only: this insert succeeds only on the primary.
      const product = await createProduct(`Chair ${word}`);
      const getProduct = app.get(GetProductService);
      const updateProduct = app.get(UpdateProductService);
      // Shoppers' read caches it.
      expect((await getProduct.onSale(product.id)).name).toBe(`Chair ${word}`);

      const first = await updateProduct.update({
        productId: product.id,
        expectedVersion: product.version,
        name: `Armchair ${word}`,
      });
      expect((await getProduct.onSale(product.id)).name).toBe(`Armchair ${word}`);
      // The next edit is based on the version just read back: it passes only if the edit's own
      // read of the product is not the replica's (which lacks the product altogether).
      const second = await updateProduct.update({
        productId: product.id,
        expectedVersion: first.version,
        price: { amount: 2500, currency: 'EUR' },
      });
      expect(second.version).toBe(first.version + 1);
      expect((await getProduct.onSale(product.id)).price.amount).toBe(2500);

      // Meanwhile the listing, from the paused replica, has not seen the chair at all.
      expect(await listedNames()).not.toContain(`Armchair ${word}`);
    } finally {
      await replica.resumeReplay();
    }
    await untilListed(`Armchair ${word}`);
  });

  it('answers reads from the primary while the replica is down, and uses it again once it is back', async () => {
    const product = await createProduct(`Rug ${word}`);
    await untilListed(`Rug ${word}`);

    await replica.stop();
    await renameOnPrimary(product.id, `Red rug ${word}`);
    // Read at once, on the replica's pooled connections that the stop ended: still answered.
    expect(await listedNames()).toContain(`Red rug ${word}`);
    expect(await listedNames()).toContain(`Red rug ${word}`);
    expect(app.get(DatabaseConnection).isReady).toBe(true);

    await replica.start();
    await replica.pauseReplay();
    try {
      await renameOnPrimary(product.id, `Blue rug ${word}`);
      // The paused replica shows the rug as it was before the blue rename (red, or older if it
      // had not replayed that yet); the primary shows it blue. Not blue: reads are back on it.
      await eventually(
        async () => (await listedNames()).find((name) => name.endsWith(`ug ${word}`)),
        (rug) => rug !== undefined && rug !== `Blue rug ${word}`,
        { what: 'reads to go back to the replica', timeoutMs: 60_000 },
      );
    } finally {
      await replica.resumeReplay();
    }
  });
});
