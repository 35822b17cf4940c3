import type { KeyObject } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { decodeProtectedHeader } from 'jose';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthConfig } from '#lib/config';
import { isRole } from '#lib/contracts';
import type { AuthenticatedUser } from './authenticated-user.js';
import { RevokedSubjects } from './revoked-subjects.js';
import { VerificationKeySource } from './verification-key.source.js';

export const JWT_STRATEGY = 'jwt';

/** Clock skew tolerated between the issuing and the verifying replica. */
export const CLOCK_TOLERANCE_SECONDS = 5;

const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0;

type KeyCallback = (error: Error | null, key?: string) => void;

/** The key named by the token's `kid`; a token whose header cannot be read fails as invalid. */
function keyForToken(keys: VerificationKeySource, token: string, done: KeyCallback): void {
  let keyId: string | undefined;
  try {
    keyId = decodeProtectedHeader(token).kid;
  } catch (error) {
    done(error as Error);
    return;
  }
  keys.keyFor(keyId).then(
    // jsonwebtoken 9 takes KeyObjects (parsed once, see VerificationKeySource); @types/passport-jwt
    // only lists string | Buffer, hence the cast.
    (key: KeyObject) => done(null, key as unknown as string),
    (error: Error) => done(error),
  );
}

/**
 * Verifies bearer access tokens issued by identity, with public keys only (configured, or from
 * identity's JWKS), so every app can check tokens without a shared secret. Pinning RS256 rejects
 * `alg: none` and the HS256 trick of signing with the public key as an HMAC secret. A token whose
 * subject was revoked (a deleted account) is refused too, in every app (ADR 0042).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    auth: AuthConfig,
    keys: VerificationKeySource,
    @Inject(RevokedSubjects)
    private readonly revokedSubjects: Pick<RevokedSubjects, 'isRevoked'>,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request: unknown, token: string, done: KeyCallback) =>
        keyForToken(keys, token, done),
      algorithms: ['RS256'],
      issuer: auth.issuer,
      audience: auth.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
    });
  }

  /**
   * Runs after the signature and registered claims are verified; checks the claims we rely on,
   * then (one Redis round trip, only for otherwise valid tokens) that the subject is not revoked.
   */
  async validate(payload: Record<string, unknown>): Promise<AuthenticatedUser> {
    const { sub, jti, roles, exp } = payload;
    // A token without `exp` would never expire: jsonwebtoken only checks `exp` when present.
    if (typeof exp !== 'number') throw new UnauthorizedException('Access token has no expiry');
    if (!isNonEmptyString(sub)) throw new UnauthorizedException('Access token has no subject');
    if (!isNonEmptyString(jti)) throw new UnauthorizedException('Access token has no id');
    if (!Array.isArray(roles) || !roles.every(isRole)) {
      throw new UnauthorizedException('Access token carries unknown roles');
    }
    if (await this.revokedSubjects.isRevoked(sub)) {
      throw new UnauthorizedException('Access token subject is revoked');
    }
    return { id: sub, roles: [...roles], tokenId: jti };
  }
}
