import { createPublicKey, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuthConfig, type JwtKeyPair, type JwtPublicKey } from '#lib/config';
import type { Role } from '#lib/contracts';
import { type CryptoKey, importPKCS8, SignJWT } from 'jose';
import {
  AccessTokenIssuer,
  type IssuedAccessToken,
  type PublicJwk,
} from '../services/ports/access-token-issuer.port.js';

const ALGORITHM = 'RS256';

function toPublicJwk({ publicKeyPem, keyId }: JwtPublicKey): PublicJwk {
  const { kty, n, e } = createPublicKey(publicKeyPem).export({ format: 'jwk' });
  if (kty !== 'RSA' || !n || !e) throw new Error('JWT keys must be RSA keys');
  return { kty, n, e, alg: ALGORITHM, use: 'sig', kid: keyId };
}

/**
 * RS256 JWT access tokens (RFC 9068 profile) signed with the configured private key; every app
 * verifies them with the public key from configuration or from the JWKS, never with a shared secret.
 * The JWKS also lists the keys retired by a rotation (JWT_PREVIOUS_PUBLIC_KEYS), so the tokens they
 * signed stay valid until they expire (ADR 0018).
 */
@Injectable()
export class JoseAccessTokenIssuer extends AccessTokenIssuer {
  private readonly signingKey: Promise<CryptoKey>;
  private readonly keys: JwtKeyPair;
  private readonly jwks: readonly PublicJwk[];

  constructor(private readonly auth: AuthConfig) {
    super();
    const { keys, previousPublicKeys } = auth;
    if (!keys?.privateKeyPem) {
      // Fails the app at start-up, not at its first login.
      throw new Error('JWT_PRIVATE_KEY must be set on an app that serves the identity context');
    }
    this.keys = keys;
    this.signingKey = importPKCS8(keys.privateKeyPem, ALGORITHM);
    this.jwks = [keys, ...previousPublicKeys].map(toPublicJwk);
  }

  async issue(subject: { userId: string; roles: readonly Role[] }): Promise<IssuedAccessToken> {
    const { issuer, audience, accessTokenTtlSeconds } = this.auth;
    const token = await new SignJWT({ roles: [...subject.roles] })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.keys.keyId, typ: 'at+jwt' })
      .setSubject(subject.userId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${accessTokenTtlSeconds}s`)
      .sign(await this.signingKey);
    return { token, expiresInSeconds: accessTokenTtlSeconds };
  }

  async publicKeys(): Promise<readonly PublicJwk[]> {
    return this.jwks;
  }
}
