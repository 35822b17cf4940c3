/**
 * The README's walk-through ("Calling the API") through the generated client: register, log in,
 * browse the products on sale, place an order and read it back. Run it against a started app:
 * `node dist/clients/typescript/examples/order-walkthrough.js http://localhost:3000 [search words]`.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { type CommerceSchemas, createCommerceClient, formEncoded } from '../src/index.js';

type Order = CommerceSchemas['OrderResponseDto'];

export interface WalkthroughResult {
  readonly email: string;
  readonly placed: Order;
  readonly readBack: Order;
}

/** Fails with the API's own problem document when a step is refused. */
function ok<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${step}: ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

/**
 * Buys one unit of the first product in stock on the catalog's first page, or among the products
 * matching `search` when given (a shared database holds other people's products too).
 */
export async function runOrderWalkthrough(
  baseUrl: string,
  log: (line: string) => void = console.log,
  search?: string,
): Promise<WalkthroughResult> {
  const session: { accessToken?: string } = {};
  const api = createCommerceClient({ baseUrl, accessToken: () => session.accessToken });

  const email = `walkthrough-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse battery staple';
  const user = ok('register', await api.POST('/v1/users', { body: { email, password } }));
  log(`registered ${user.email} (${user.id})`);

  const tokens = ok(
    'log in',
    await api.POST('/v1/auth/token', {
      body: { grant_type: 'password', username: email, password },
      ...formEncoded,
    }),
  );
  session.accessToken = tokens.access_token;
  log(`logged in; the access token lasts ${tokens.expires_in} s`);

  const page = ok(
    'browse',
    await api.GET('/v1/products', { params: { query: { limit: 10, q: search } } }),
  );
  const product = page.items.find((candidate) => candidate.stock > 0);
  if (!product) throw new Error('browse: no product in stock; an admin creates them first');
  log(
    `${page.items.length} products on sale; buying ${product.name} (${product.price.amountMinor} ${product.price.currency})`,
  );

  const placed = ok(
    'place the order',
    await api.POST('/v1/orders', {
      params: { header: { 'Idempotency-Key': randomUUID() } },
      body: { items: [{ productId: product.id, quantity: 1 }] },
    }),
  );
  log(`placed order ${placed.id}: ${placed.status}, ${placed.total} ${placed.currency}`);

  const readBack = ok(
    'read the order',
    await api.GET('/v1/orders/{id}', { params: { path: { id: placed.id } } }),
  );
  log(`order ${readBack.id} is ${readBack.status}`);
  return { email, placed, readBack };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [baseUrl = 'http://localhost:3000', ...searchWords] = process.argv.slice(2);
  await runOrderWalkthrough(baseUrl, console.log, searchWords.join(' ') || undefined);
}
