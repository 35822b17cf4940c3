import { RefreshToken } from './refresh-token.js';
import { RefreshTokenSecret } from './refresh-token-secret.js';

const start = new Date('2026-01-01T00:00:00Z');
const seconds = (n: number): Date => new Date(start.getTime() + n * 1000);

const newFamily = (): RefreshToken =>
  RefreshToken.startFamily({ userId: 'user-1', tokenHash: 'hash-1', now: start, ttlSeconds: 3600 });

describe('RefreshToken', () => {
  it('starts a family whose id is the first token id, with no parent', () => {
    const token = newFamily().toSnapshot();
    expect(token.familyId).toBe(token.id);
    expect(token.parentId).toBeNull();
    expect(token.expiresAt).toEqual(seconds(3600));
  });

  it.each<[string, (token: RefreshToken) => void, Date, string]>([
    ['fresh', () => undefined, seconds(10), 'active'],
    [
      'one millisecond before expiry',
      () => undefined,
      new Date(seconds(3600).getTime() - 1),
      'active',
    ],
    ['at expiry', () => undefined, seconds(3600), 'expired'],
    [
      'rotated',
      (token) => token.rotate({ tokenHash: 'h2', now: seconds(1), ttlSeconds: 60 }),
      seconds(2),
      'used',
    ],
    [
      'rotated and past expiry (a replay is still reported)',
      (token) => token.rotate({ tokenHash: 'h2', now: seconds(1), ttlSeconds: 60 }),
      seconds(7200),
      'used',
    ],
  ])('is %s -> %s', (_case, act, at, expected) => {
    const token = newFamily();
    act(token);
    expect(token.status(at)).toBe(expected);
  });

  it('reports revoked before used', () => {
    const token = newFamily();
    token.rotate({ tokenHash: 'h2', now: seconds(1), ttlSeconds: 60 });
    const revoked = RefreshToken.restore({ ...token.toSnapshot(), revokedAt: seconds(2) });
    expect(revoked.status(seconds(3))).toBe('revoked');
  });

  it('rotates into a successor of the same family and marks itself used', () => {
    const token = newFamily();
    const next = token.rotate({ tokenHash: 'hash-2', now: seconds(100), ttlSeconds: 3600 });
    expect(token.usedAt).toEqual(seconds(100));
    expect(next.toSnapshot()).toMatchObject({
      userId: 'user-1',
      familyId: token.familyId,
      parentId: token.id,
      tokenHash: 'hash-2',
      createdAt: seconds(100),
      expiresAt: seconds(3700),
      usedAt: null,
      revokedAt: null,
    });
    expect(next.id).not.toBe(token.id);
  });

  it('refuses to rotate a token twice', () => {
    const token = newFamily();
    token.rotate({ tokenHash: 'h2', now: seconds(1), ttlSeconds: 60 });
    expect(() => token.rotate({ tokenHash: 'h3', now: seconds(2), ttlSeconds: 60 })).toThrow(
      'not possible to rotate a refresh token that is used',
    );
  });
});

describe('RefreshTokenSecret', () => {
  it('generates 256-bit base64url secrets and stores only their SHA-256', () => {
    const secret = RefreshTokenSecret.generate();
    expect(secret.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secret.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(secret.hash).not.toContain(secret.value);
    expect(RefreshTokenSecret.hashOf(secret.value)).toBe(secret.hash);
    expect(RefreshTokenSecret.generate().value).not.toBe(secret.value);
  });
});
