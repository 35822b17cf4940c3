import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TransactionRunner } from '#lib/database';
import {
  IdempotencyClaimLostError,
  type NewClaim,
} from '../../../libs/orders/src/repositories/idempotency-key.repository.js';
import { TypeormIdempotencyKeyRepository } from '../../../libs/orders/src/repositories/idempotency-key.typeorm-repository.js';
import { openOrdersDatabase } from './orders-database.js';

const HASH = 'a'.repeat(64);
const OTHER_HASH = 'b'.repeat(64);
const DAY_MS = 86_400_000;

/** A promise the test resolves when it wants, to hold a transaction open. */
function gateOf(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('TypeormIdempotencyKeyRepository against PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openOrdersDatabase>>;
  let dataSource: DataSource;
  let transactions: TransactionRunner;
  let keys: TypeormIdempotencyKeyRepository;

  beforeAll(async () => {
    database = await openOrdersDatabase();
    dataSource = database.dataSource;
    transactions = database.transactions;
    keys = new TypeormIdempotencyKeyRepository(transactions);
  });

  afterAll(() => database.close());

  const claimOf = (overrides: Partial<NewClaim> = {}): NewClaim => {
    const now = overrides.now ?? new Date();
    return {
      customerId: randomUUID(),
      key: randomUUID(),
      requestHash: HASH,
      orderId: randomUUID(),
      now,
      expiresAt: new Date(now.getTime() + DAY_MS),
      ...overrides,
    };
  };

  it('lets exactly one of many concurrent claims of one key win; the others see its claim', async () => {
    const base = claimOf();
    const contenders = Array.from({ length: 12 }, () => ({ ...base, orderId: randomUUID() }));

    const outcomes = await Promise.all(contenders.map((claim) => keys.claim(claim)));

    const winners = contenders.filter((_, index) => outcomes[index].claimed);
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (!outcome.claimed) expect(outcome.existing.orderId).toBe(winners[0].orderId);
    }
    const [{ count }] = await dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM orders.idempotency_keys WHERE customer_id = $1 AND key = $2',
      [base.customerId, base.key],
    );
    expect(Number(count)).toBe(1);
  });

  it('scopes a key to its customer', async () => {
    const claim = claimOf();
    expect((await keys.claim(claim)).claimed).toBe(true);
    expect((await keys.claim({ ...claim, customerId: randomUUID() })).claimed).toBe(true);
  });

  it('stores the response byte for byte, so a replay sends exactly the first body', async () => {
    const claim = claimOf();
    await keys.claim(claim);
    // Keys deliberately out of alphabetical order: jsonb would reorder them, json keeps them.
    const body = {
      id: claim.orderId,
      status: 'pending_payment',
      total: 2500,
      lines: [{ sku: 'M', a: 1 }],
    };
    await transactions.run(() =>
      keys.complete(claim.customerId, claim.key, claim.orderId, { status: 201, body }),
    );

    const outcome = await keys.claim({ ...claim, orderId: randomUUID() });
    expect(outcome.claimed).toBe(false);
    if (outcome.claimed) return;
    expect(outcome.existing.response?.status).toBe(201);
    expect(JSON.stringify(outcome.existing.response?.body)).toBe(JSON.stringify(body));
    expect(outcome.existing.orderId).toBe(claim.orderId);
  });

  it('keeps the claim unfinished when the transaction that completed it rolls back', async () => {
    const claim = claimOf();
    await keys.claim(claim);
    await expect(
      transactions.run(async () => {
        await keys.complete(claim.customerId, claim.key, claim.orderId, { status: 201, body: {} });
        throw new Error('the order insert failed');
      }),
    ).rejects.toThrow('the order insert failed');

    const outcome = await keys.claim({ ...claim, orderId: randomUUID() });
    expect(!outcome.claimed && outcome.existing.response).toBeNull();
  });

  it('refuses to complete a claim that was taken over', async () => {
    const claim = claimOf();
    await keys.claim(claim);
    expect(await keys.takeOver(claim.orderId, { ...claim, orderId: randomUUID() })).toBe(true);
    await expect(
      transactions.run(() =>
        keys.complete(claim.customerId, claim.key, claim.orderId, { status: 201, body: {} }),
      ),
    ).rejects.toBeInstanceOf(IdempotencyClaimLostError);
  });

  it('refuses to complete a fenced claim, and keeps it fenced until it is taken over', async () => {
    const claim = claimOf();
    await keys.claim(claim);

    expect(await keys.fence(claim.customerId, claim.key, claim.orderId)).toBe(true);
    expect(await keys.fence(claim.customerId, claim.key, claim.orderId)).toBe(true);
    await expect(
      transactions.run(() =>
        keys.complete(claim.customerId, claim.key, claim.orderId, { status: 201, body: {} }),
      ),
    ).rejects.toBeInstanceOf(IdempotencyClaimLostError);
    const outcome = await keys.claim({ ...claim, orderId: randomUUID() });
    expect(!outcome.claimed && outcome.existing.fenced).toBe(true);

    const next = { ...claim, orderId: randomUUID() };
    expect(await keys.takeOver(claim.orderId, next)).toBe(true);
    await transactions.run(() =>
      keys.complete(claim.customerId, claim.key, next.orderId, { status: 201, body: {} }),
    );
  });

  it('does not fence a claim that completed, even one whose completion was in flight', async () => {
    const claim = claimOf();
    await keys.claim(claim);
    const updated = gateOf();
    const commit = gateOf();
    const committing = transactions.run(async () => {
      await keys.complete(claim.customerId, claim.key, claim.orderId, { status: 201, body: {} });
      // The completion holds the row, uncommitted, while the fence arrives.
      updated.open();
      await commit.opened;
    });
    await updated.opened;
    const fencing = keys.fence(claim.customerId, claim.key, claim.orderId);
    // The fence now waits for the row lock; whenever it gets there, the claim is complete.
    await new Promise((resolve) => setTimeout(resolve, 50));
    commit.open();
    await committing;

    expect(await fencing).toBe(false);
    expect(await keys.fence(claim.customerId, claim.key, claim.orderId)).toBe(false);
    expect(await keys.fence(claim.customerId, claim.key, randomUUID())).toBe(false);
  });

  it('takes over an unfinished claim only from the order id it still holds', async () => {
    const claim = claimOf();
    await keys.claim(claim);
    const first = { ...claim, orderId: randomUUID(), requestHash: OTHER_HASH };
    const second = { ...claim, orderId: randomUUID() };

    const results = await Promise.all([
      keys.takeOver(claim.orderId, first),
      keys.takeOver(claim.orderId, second),
    ]);

    expect(results.sort()).toEqual([false, true]);
  });

  it('replaces a completed key once it has expired, and not before', async () => {
    const now = new Date();
    const claim = claimOf({ now, expiresAt: new Date(now.getTime() + 1_000) });
    await keys.claim(claim);
    await transactions.run(() =>
      keys.complete(claim.customerId, claim.key, claim.orderId, { status: 201, body: {} }),
    );

    const early = new Date(now.getTime() + 999);
    expect(
      (
        await keys.claim(
          claimOf({
            ...claim,
            orderId: randomUUID(),
            now: early,
            expiresAt: new Date(early.getTime() + DAY_MS),
          }),
        )
      ).claimed,
    ).toBe(false);

    const later = new Date(now.getTime() + 1_000);
    const renewed = claimOf({
      ...claim,
      orderId: randomUUID(),
      now: later,
      expiresAt: new Date(later.getTime() + DAY_MS),
    });
    expect((await keys.claim(renewed)).claimed).toBe(true);
  });

  it('frees an unfinished claim on abandon, but never a completed one', async () => {
    const open = claimOf();
    await keys.claim(open);
    await keys.abandon(open.customerId, open.key, open.orderId);
    expect((await keys.claim({ ...open, orderId: randomUUID() })).claimed).toBe(true);

    const done = claimOf();
    await keys.claim(done);
    await transactions.run(() =>
      keys.complete(done.customerId, done.key, done.orderId, { status: 201, body: {} }),
    );
    await keys.abandon(done.customerId, done.key, done.orderId);
    expect((await keys.claim({ ...done, orderId: randomUUID() })).claimed).toBe(false);
  });

  it('finds unfinished claims older than the lease and deletes expired completed keys', async () => {
    // Far in the past, so that no other test's rows fall in the window.
    const past = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * DAY_MS));
    const abandoned = claimOf({ now: past, expiresAt: new Date(past.getTime() + 10_000) });
    const expired = claimOf({ now: past, expiresAt: new Date(past.getTime() + 10_000) });
    await keys.claim(abandoned);
    await keys.claim(expired);
    await transactions.run(() =>
      keys.complete(expired.customerId, expired.key, expired.orderId, { status: 201, body: {} }),
    );

    const found = await keys.findAbandoned(new Date(past.getTime() + 1), 1_000);
    expect(found.map((record) => record.orderId)).toContain(abandoned.orderId);
    expect(found.map((record) => record.orderId)).not.toContain(expired.orderId);

    expect(
      await keys.deleteExpired(new Date(past.getTime() + 10_000), 1_000),
    ).toBeGreaterThanOrEqual(1);
    expect(
      (
        await keys.claim({
          ...expired,
          orderId: randomUUID(),
          now: new Date(),
          expiresAt: new Date(Date.now() + DAY_MS),
        })
      ).claimed,
    ).toBe(true);
  });
});
