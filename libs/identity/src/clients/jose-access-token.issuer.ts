import { createPublicKey, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '#lib/config';
import type { Role } from '#lib/contracts';
import { type CryptoKey, importPKCS8, SignJWT } from 'jose';
import {
  AccessTokenIssuer,
  type IssuedAccessToken,
  type PublicJwk,
} from '../services/ports/access-token-issuer.port.js';

const ALGORITHM = 'RS256';

/**
 * RS256 JWT access tokens (RFC 9068 profile) signed with the configured private key; every app
 * verifies them with the public key from configuration or from the JWKS, never with a shared secret.
 */
@Injectable()
export class JoseAccessTokenIssuer extends AccessTokenIssuer {
  private readonly signingKey: Promise<CryptoKey>;
  private readonly jwks: readonly PublicJwk[];

  constructor(private readonly config: AppConfig) {
    super();
    const { privateKeyPem, publicKeyPem, keyId } = config.auth.keys;
    if (!privateKeyPem) {
      // Fails the app at start-up, not at its first login.
      throw new Error('JWT_PRIVATE_KEY must be set on an app that serves the identity context');
    }
    this.signingKey = importPKCS8(privateKeyPem, ALGORITHM);
    const { kty, n, e } = createPublicKey(publicKeyPem).export({ format: 'jwk' });
    if (kty !== 'RSA' || !n || !e) throw new Error('JWT_PUBLIC_KEY must be an RSA key');
    this.jwks = [{ kty, n, e, alg: ALGORITHM, use: 'sig', kid: keyId }];
  }

  async issue(subject: { userId: string; roles: readonly Role[] }): Promise<IssuedAccessToken> {
    const { issuer, audience, accessTokenTtlSeconds, keys } = this.config.auth;
    const token = await new SignJWT({ roles: [...subject.roles] })
      .setProtectedHeader({ alg: ALGORITHM, kid: keys.keyId, typ: 'at+jwt' })
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
