import { configurationOrExit, DatabaseConfig } from '#lib/config';
import { DEMO_SKU_PREFIX, MAX_DEMO_PRODUCTS, seedDemoCatalog } from '#lib/catalog';
import pg from 'pg';

const DEFAULT_PRODUCTS = 200;

/** `--products N` or `--products=N`; anything else stops the script naming the bad argument. */
function requestedProducts(argv: readonly string[]): number {
  const index = argv.findIndex((arg) => arg === '--products' || arg.startsWith('--products='));
  if (index === -1) return DEFAULT_PRODUCTS;
  const raw = argv[index].includes('=') ? argv[index].split('=', 2)[1] : argv[index + 1];
  const products = Number(raw);
  if (!Number.isInteger(products) || products < 1 || products > MAX_DEMO_PRODUCTS) {
    process.stderr.write(
      `--products must be an integer from 1 to ${MAX_DEMO_PRODUCTS} (got ${raw ?? 'nothing'})\n`,
    );
    process.exit(2);
  }
  return products;
}

/**
 * `npm run db:seed [-- --products N]`: a demo catalog (DEMO-000001 …) on sale with ample stock, so
 * the README's walk-through can order at once and the benchmarks can search a large catalog.
 * Idempotent: a second run inserts nothing; a larger N adds only the missing products.
 */
const products = requestedProducts(process.argv.slice(2));
const client = new pg.Client({ connectionString: configurationOrExit().get(DatabaseConfig).url });
await client.connect();
try {
  const found = await client.query<{ table: string | null }>(
    `SELECT to_regclass('catalog.products')::text AS table`,
  );
  if (found.rows[0]?.table == null) {
    process.stderr.write('catalog.products does not exist: run `npm run db:migrate` first\n');
    process.exitCode = 1;
  } else {
    const started = Date.now();
    const inserted = await seedDemoCatalog(client, {
      products,
      onProgress: ({ done, total }) => {
        if (total > done) process.stdout.write(`seeding demo products: ${done}/${total}\n`);
      },
    });
    process.stdout.write(
      `demo catalog: ${products} products ${DEMO_SKU_PREFIX}000001… on sale, ${inserted} inserted now, ` +
        `${Date.now() - started} ms\n`,
    );
  }
} finally {
  await client.end();
}
