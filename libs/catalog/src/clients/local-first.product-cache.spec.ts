import { ManualClock } from '#lib/testing';
import { Money } from '../domain/money.js';
import { Product } from '../domain/product.js';
import { InMemoryProductCache } from '../testing/in-memory-product.cache.js';
import { InProcessLru } from './in-process-lru.js';
import { LocalFirstProductCache } from './local-first.product-cache.js';

const TTL_MS = 2_000;

const newProduct = (name = 'Blue mug'): Product =>
  Product.create({
    sku: `MUG-${Math.random().toString(36).slice(2, 8)}`,
    name,
    description: '',
    price: Money.of(1299, 'EUR'),
    stock: 5,
    now: new Date('2026-04-01T12:00:00.000Z'),
  });

function setup() {
  const clock = new ManualClock();
  const shared = new InMemoryProductCache();
  const feed = { live: true };
  const cache = new LocalFirstProductCache(shared, new InProcessLru(100, TTL_MS, clock), feed);
  return { clock, shared, feed, cache };
}

/** A promise the test resolves when it chooses. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('LocalFirstProductCache', () => {
  it('keeps a product read from the shared cache, so the next read does not ask it', async () => {
    const { shared, cache } = setup();
    const product = newProduct();
    await shared.set(product);

    await cache.get(product.id);
    const second = await cache.get(product.id);

    expect(second?.toSnapshot()).toEqual(product.toSnapshot());
    expect(shared.gets).toBe(1);
  });

  it('asks the shared cache again once the local copy has expired', async () => {
    const { clock, shared, cache } = setup();
    const product = newProduct();
    await shared.set(product);
    await cache.get(product.id);

    clock.advanceMs(TTL_MS);
    await cache.get(product.id);

    expect(shared.gets).toBe(2);
  });

  it('never keeps what it is given to write: only a shared-cache hit fills it', async () => {
    const { shared, cache } = setup();
    const product = newProduct();

    await cache.set(product);
    await cache.get(product.id);
    await cache.get(product.id);

    expect(shared.sets).toBe(1);
    expect(shared.gets).toBe(1);
  });

  it('reads its own write at once: a delete forgets the local copy too', async () => {
    const { shared, cache } = setup();
    const product = newProduct();
    await shared.set(product);
    await cache.get(product.id);

    await cache.delete([product.id]);

    expect(await cache.get(product.id)).toBeUndefined();
    expect(shared.has(product.id)).toBe(false);
  });

  it('forgets a product another replica invalidated', async () => {
    const { shared, cache } = setup();
    const product = newProduct();
    await shared.set(product);
    await cache.get(product.id);
    await shared.delete([product.id]);

    cache.invalidated([product.id]);

    expect(await cache.get(product.id)).toBeUndefined();
  });

  it('keeps nothing from a read that an invalidation overtook', async () => {
    const { shared, cache } = setup();
    const product = newProduct();
    await shared.set(product);
    const gate = deferred();
    const sharedGet = shared.get.bind(shared);
    shared.get = async (id) => {
      const found = await sharedGet(id);
      await gate.promise;
      return found;
    };

    const slowRead = cache.get(product.id);
    cache.invalidated([product.id]);
    gate.resolve();
    await slowRead;
    await cache.get(product.id);

    expect(shared.gets).toBe(2);
  });

  it("still keeps a product whose read overlapped another product's invalidation", async () => {
    const { shared, cache } = setup();
    const product = newProduct();
    await shared.set(product);

    const read = cache.get(product.id);
    cache.invalidated([newProduct('Other mug').id]);
    await read;
    await cache.get(product.id);

    expect(shared.gets).toBe(1);
  });

  it('serves and keeps nothing locally while the feed is down, and forgets all when told it missed some', async () => {
    const { shared, feed, cache } = setup();
    const product = newProduct();
    await shared.set(product);
    await cache.get(product.id);

    cache.missedSome();
    feed.live = false;
    await cache.get(product.id);
    await cache.get(product.id);

    expect(shared.gets).toBe(3);
  });

  it('hands out a copy per read, so a caller changing it changes no other read', async () => {
    const { shared, cache } = setup();
    const product = newProduct();
    await shared.set(product);
    await cache.get(product.id);

    const first = await cache.get(product.id);
    first?.withdraw(2, new Date('2026-04-02T00:00:00.000Z'));
    const second = await cache.get(product.id);

    expect(second?.stock).toBe(5);
  });
});

describe('InProcessLru', () => {
  it('evicts the least recently read entry past its bound', () => {
    const lru = new InProcessLru<string>(2, TTL_MS, new ManualClock());
    lru.set('a', 'A');
    lru.set('b', 'B');
    lru.get('a');

    lru.set('c', 'C');

    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual(['A', undefined, 'C']);
    expect(lru.size).toBe(2);
  });

  it('stores nothing with a time to live of 0', () => {
    const lru = new InProcessLru<string>(2, 0, new ManualClock());

    lru.set('a', 'A');

    expect(lru.get('a')).toBeUndefined();
  });
});
