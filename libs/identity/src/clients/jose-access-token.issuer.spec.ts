import { generateKeyPairSync } from 'node:crypto';
import { authConfig } from '#lib/config';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { JoseAccessTokenIssuer } from './jose-access-token.issuer.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

const config = (overrides: Record<string, string> = {}) =>
  authConfig.load({
    NODE_ENV: 'test',
    JWT_ISSUER: 'https://id.shop.example',
    JWT_AUDIENCE: 'shop-api',
    JWT_ACCESS_TOKEN_TTL_SECONDS: '600',
    JWT_PRIVATE_KEY: privateKeyPem,
    ...overrides,
  });

describe('JoseAccessTokenIssuer', () => {
  it('signs an RS256 token that verifies against its own published JWKS with every claim', async () => {
    const auth = config();
    const issuer = new JoseAccessTokenIssuer(auth);
    const before = Math.floor(Date.now() / 1000);
    const { token, expiresInSeconds } = await issuer.issue({
      userId: 'user-1',
      roles: ['customer', 'admin'],
    });

    const jwks = createLocalJWKSet({ keys: [...(await issuer.publicKeys())] });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: 'https://id.shop.example',
      audience: 'shop-api',
      algorithms: ['RS256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: auth.keys?.keyId });
    expect(payload).toMatchObject({ sub: 'user-1', roles: ['customer', 'admin'] });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(expiresInSeconds).toBe(600);
  });

  it('gives every token its own id', async () => {
    const issuer = new JoseAccessTokenIssuer(config());
    const ids = await Promise.all(
      [1, 2, 3].map(async () => {
        const { token } = await issuer.issue({ userId: 'u', roles: ['customer'] });
        return (
          JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string }
        ).jti;
      }),
    );
    expect(new Set(ids).size).toBe(3);
  });

  it('publishes the public key only, as an RSA signing JWK with the configured kid', async () => {
    const auth = config();
    const [key, ...others] = await new JoseAccessTokenIssuer(auth).publicKeys();
    expect(others).toHaveLength(0);
    expect(key).toEqual({
      kty: 'RSA',
      n: expect.any(String),
      e: 'AQAB',
      alg: 'RS256',
      use: 'sig',
      kid: auth.keys?.keyId,
    });
    expect(key).not.toHaveProperty('d');
    const { token } = await new JoseAccessTokenIssuer(auth).issue({
      userId: 'u',
      roles: ['customer'],
    });
    expect(decodeProtectedHeader(token).kid).toBe(key.kid);
  });

  it('publishes the keys retired by a rotation beside the current one, and signs with the current', async () => {
    const retired = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const auth = config({ JWT_PREVIOUS_PUBLIC_KEYS: retired });
    const issuer = new JoseAccessTokenIssuer(auth);
    const kids = (await issuer.publicKeys()).map((key) => key.kid);
    expect(kids).toEqual([auth.keys?.keyId, auth.previousPublicKeys[0].keyId]);
    const { token } = await issuer.issue({ userId: 'u', roles: ['customer'] });
    expect(decodeProtectedHeader(token).kid).toBe(auth.keys?.keyId);
  });

  it('refuses to start without a private key', () => {
    expect(
      () =>
        new JoseAccessTokenIssuer(config({ JWT_PRIVATE_KEY: '', JWT_PUBLIC_KEY: publicKeyPem })),
    ).toThrow(/JWT_PRIVATE_KEY/);
  });
});
