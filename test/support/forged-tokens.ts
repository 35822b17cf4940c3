import { createHmac, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { TEST_AUDIENCE, TEST_ISSUER, testKeyPair } from './test-environment.js';

export type ForgedAlgorithm = 'RS256' | 'HS256' | 'none';

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Builds access tokens by hand, so tests can also make the ones no library would sign: RS256 with
 * the apps' test key (a token the apps accept unless a claim is wrong), HS256 keyed with the public
 * key, or unsigned. `header` adds or overrides header fields (`kid`...); `signingKeyPem` signs RS256
 * with another key (an attacker's).
 */
export function forgeToken(
  claims: object,
  alg: ForgedAlgorithm = 'RS256',
  header: Record<string, unknown> = {},
  signingKeyPem: string = testKeyPair().privateKeyPem,
): string {
  const { publicKeyPem } = testKeyPair();
  const signingInput = `${encode({ alg, typ: 'at+jwt', ...header })}.${encode(claims)}`;
  const signature =
    alg === 'RS256'
      ? sign('sha256', Buffer.from(signingInput), createPrivateKey(signingKeyPem))
      : alg === 'HS256'
        ? createHmac('sha256', publicKeyPem).update(signingInput).digest()
        : Buffer.alloc(0);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** The claims of a valid customer access token for a new subject, with `override` applied. */
export const tokenClaims = (override: object = {}): Record<string, unknown> => ({
  sub: randomUUID(),
  jti: randomUUID(),
  roles: ['customer'],
  iss: TEST_ISSUER,
  aud: TEST_AUDIENCE,
  iat: nowSeconds(),
  exp: nowSeconds() + 300,
  ...override,
});

/** A validly signed token whose payload was then swapped for one claiming more. */
export function tamperedToken(override: object = { roles: ['admin'] }): string {
  const [header, , signature] = forgeToken(tokenClaims()).split('.');
  return `${header}.${encode(tokenClaims(override))}.${signature}`;
}
