import { setTimeout as sleep } from 'node:timers/promises';
import { Email } from '../../../libs/identity/src/domain/email.js';
import { RefreshToken } from '../../../libs/identity/src/domain/refresh-token.js';
import {
  InvalidRefreshTokenError,
  RefreshTokenReuseDetectedError,
} from '../../../libs/identity/src/domain/refresh-token.errors.js';
import { RefreshTokenSecret } from '../../../libs/identity/src/domain/refresh-token-secret.js';
import { User } from '../../../libs/identity/src/domain/user.js';
import { TypeormRefreshTokenRepository } from '../../../libs/identity/src/repositories/refresh-token.typeorm-repository.js';
import { TypeormUserRepository } from '../../../libs/identity/src/repositories/user.typeorm-repository.js';
import { IdentitySettings } from '../../../libs/identity/src/services/identity-settings.js';
import { RefreshTokenGrantService } from '../../../libs/identity/src/services/refresh-token-grant.service.js';
import { FakeAccessTokenIssuer } from '../../../libs/identity/src/testing/fake-access-token.issuer.js';
import { ManualClock } from '#lib/testing';
import { uniqueEmail } from '../../support/test-environment.js';
import { openIdentityDatabase } from './identity-database.js';

const TTL_SECONDS = 3600;

describe('refresh tokens against PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openIdentityDatabase>>;
  let users: TypeormUserRepository;
  let tokens: TypeormRefreshTokenRepository;
  let grant: RefreshTokenGrantService;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    database = await openIdentityDatabase();
    users = new TypeormUserRepository(database.transactions);
    tokens = new TypeormRefreshTokenRepository(database.transactions);
    grant = new RefreshTokenGrantService(
      users,
      tokens,
      new FakeAccessTokenIssuer(),
      database.transactions,
      clock,
      new IdentitySettings(TTL_SECONDS),
    );
  });

  afterAll(() => database.close());

  async function loggedInUser(): Promise<{
    user: User;
    secret: RefreshTokenSecret;
    root: RefreshToken;
  }> {
    const user = User.register({
      email: Email.parse(uniqueEmail('tokens')),
      passwordHash: 'x',
      now: clock.now(),
    });
    database.track(user.id);
    await users.insert(user);
    const secret = RefreshTokenSecret.generate();
    const root = RefreshToken.startFamily({
      userId: user.id,
      tokenHash: secret.hash,
      now: clock.now(),
      ttlSeconds: TTL_SECONDS,
    });
    await tokens.insert(root);
    return { user, secret, root };
  }

  type FamilyRow = {
    id: string;
    parent_id: string | null;
    used_at: Date | null;
    revoked_at: Date | null;
  };

  /** The family's tokens in chain order: the first, then its successor, and so on. */
  const familyRows = async (familyId: string): Promise<FamilyRow[]> => {
    const rows = await database.dataSource.query<FamilyRow[]>(
      'SELECT id, parent_id, used_at, revoked_at FROM identity.refresh_tokens WHERE family_id = $1',
      [familyId],
    );
    const chain: FamilyRow[] = [];
    let next = rows.find((row) => row.parent_id === null);
    while (next) {
      chain.push(next);
      const parentId: string = next.id;
      next = rows.find((row) => row.parent_id === parentId);
    }
    expect(chain).toHaveLength(rows.length);
    return chain;
  };

  it('stores only the hash and finds the token by it', async () => {
    const { secret, root } = await loggedInUser();
    const [row] = await database.dataSource.query<{ token_hash: string }[]>(
      'SELECT token_hash FROM identity.refresh_tokens WHERE id = $1',
      [root.id],
    );
    expect(row.token_hash).toBe(secret.hash);
    expect(row.token_hash).not.toContain(secret.value);
    expect((await tokens.findByHash(secret.hash))?.toSnapshot()).toEqual(root.toSnapshot());
  });

  it('marks a token used once: of two concurrent attempts exactly one succeeds', async () => {
    const { secret } = await loggedInUser();
    const [first, second] = await Promise.all([
      tokens.findByHash(secret.hash),
      tokens.findByHash(secret.hash),
    ]);
    for (const copy of [first, second])
      copy?.rotate({
        tokenHash: RefreshTokenSecret.generate().hash,
        now: clock.now(),
        ttlSeconds: 60,
      });

    const claimed = await Promise.all([tokens.markUsed(first!), tokens.markUsed(second!)]);
    expect(claimed.sort()).toEqual([false, true]);
  });

  it('holds the row locked for an exchange in progress, so a concurrent one waits for its outcome', async () => {
    const { secret } = await loggedInUser();
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstLocked!: () => void;
    const firstHasLock = new Promise<void>((resolve) => (firstLocked = resolve));

    const first = database.transactions.run(async () => {
      const token = await tokens.findByHashForUpdate(secret.hash);
      token!.rotate({
        tokenHash: RefreshTokenSecret.generate().hash,
        now: clock.now(),
        ttlSeconds: 60,
      });
      await tokens.markUsed(token!);
      firstLocked();
      await firstMayCommit;
    });
    await firstHasLock;

    let secondSaw: RefreshToken | null | undefined;
    const second = database.transactions.run(async () => {
      secondSaw = await tokens.findByHashForUpdate(secret.hash);
    });
    await sleep(300);
    expect(secondSaw).toBeUndefined();

    releaseFirst();
    await Promise.all([first, second]);
    expect(secondSaw?.status(clock.now())).toBe('used');
  });

  it('refuses to lock a token outside a transaction', async () => {
    const { secret } = await loggedInUser();
    await expect(tokens.findByHashForUpdate(secret.hash)).rejects.toThrow(/transaction/i);
  });

  it('revokes every token of a family and nothing of other families', async () => {
    const { root } = await loggedInUser();
    const { root: otherFamily } = await loggedInUser();
    const child = root.rotate({
      tokenHash: RefreshTokenSecret.generate().hash,
      now: clock.now(),
      ttlSeconds: 60,
    });
    await database.transactions.run(async () => {
      await tokens.markUsed(root);
      await tokens.insert(child);
    });

    expect(await tokens.revokeFamily(root.familyId, clock.now())).toBe(2);
    expect(await tokens.revokeFamily(root.familyId, clock.now())).toBe(0);
    expect((await familyRows(root.familyId)).every((row) => row.revoked_at !== null)).toBe(true);
    expect((await familyRows(otherFamily.familyId))[0].revoked_at).toBeNull();
  });

  it('rotates a token for exactly one of two concurrent refresh requests, and the replay revokes the family', async () => {
    const { secret, root } = await loggedInUser();

    const results = await Promise.allSettled([
      grant.exchange(secret.value),
      grant.exchange(secret.value),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = results.filter((result) => result.status === 'rejected');
    expect(rejected.reason).toBeInstanceOf(RefreshTokenReuseDetectedError);
    const rows = await familyRows(root.familyId);
    expect(rows).toHaveLength(2);
    expect(rows[1].parent_id).toBe(root.id);
    expect(rows.every((row) => row.revoked_at !== null)).toBe(true);
  });

  it('rotates along a chain and rejects the newest token once an old one is replayed', async () => {
    const { secret, root } = await loggedInUser();
    const second = await grant.exchange(secret.value);
    const third = await grant.exchange(second.refreshToken);

    await expect(grant.exchange(second.refreshToken)).rejects.toBeInstanceOf(
      RefreshTokenReuseDetectedError,
    );
    await expect(grant.exchange(third.refreshToken)).rejects.toBeInstanceOf(
      InvalidRefreshTokenError,
    );
    const rows = await familyRows(root.familyId);
    expect(rows.map((row) => row.parent_id)).toEqual([null, rows[0].id, rows[1].id]);
  });

  it('rolls the claim back when issuing the successor fails, so the client can retry', async () => {
    const { secret, root } = await loggedInUser();
    const failingTokens = new TypeormRefreshTokenRepository(database.transactions);
    failingTokens.insert = () => Promise.reject(new Error('disk full'));
    const failing = new RefreshTokenGrantService(
      users,
      failingTokens,
      new FakeAccessTokenIssuer(),
      database.transactions,
      clock,
      new IdentitySettings(TTL_SECONDS),
    );
    await expect(failing.exchange(secret.value)).rejects.toThrow('disk full');
    expect((await familyRows(root.familyId))[0].used_at).toBeNull();
    await expect(grant.exchange(secret.value)).resolves.toHaveProperty('refreshToken');
  });
});
