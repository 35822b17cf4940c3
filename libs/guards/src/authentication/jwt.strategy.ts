import { createPublicKey } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '#lib/config';
import { isRole } from '#lib/contracts';
import type { AuthenticatedUser } from './authenticated-user.js';

export const JWT_STRATEGY = 'jwt';

/** Clock skew tolerated between the issuing and the verifying replica. */
const CLOCK_TOLERANCE_SECONDS = 5;

const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0;

/**
 * Verifies bearer access tokens issued by identity, with its public key only, so every app can
 * check tokens without a shared secret. Pinning RS256 rejects `alg: none` and the HS256 trick of
 * signing with the public key as an HMAC secret.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, parsed once: given the PEM, jsonwebtoken parses it on every request (about a
      // sixth of the CPU of an authenticated request, see bench/RESULTS.md). jsonwebtoken 9 takes
      // KeyObjects; @types/passport-jwt only lists string | Buffer, hence the cast.
      secretOrKey: createPublicKey(config.auth.keys.publicKeyPem) as unknown as string,
      algorithms: ['RS256'],
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
    });
  }

  /** Runs after the signature and registered claims are verified; checks the claims we rely on. */
  validate(payload: Record<string, unknown>): AuthenticatedUser {
    const { sub, jti, roles, exp } = payload;
    // A token without `exp` would never expire: jsonwebtoken only checks `exp` when present.
    if (typeof exp !== 'number') throw new UnauthorizedException('Access token has no expiry');
    if (!isNonEmptyString(sub)) throw new UnauthorizedException('Access token has no subject');
    if (!isNonEmptyString(jti)) throw new UnauthorizedException('Access token has no id');
    if (!Array.isArray(roles) || !roles.every(isRole)) {
      throw new UnauthorizedException('Access token carries unknown roles');
    }
    return { id: sub, roles: [...roles], tokenId: jti };
  }
}
