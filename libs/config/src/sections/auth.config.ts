import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUrl, Matches, MinLength } from 'class-validator';
import { defineConfigSection } from '../config-section.js';
import { IntegerVariable } from '../environment-variable.decorators.js';
import { emptyToUndefined } from '../environment-transforms.js';
import { type JwtKeyPair, type JwtPublicKey, resolveJwtKeys } from '../jwt-keys.js';
import type { NodeEnvironment } from './service.config.js';

class AuthVariables {
  // Read here too: production refuses the development key pair.
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: NodeEnvironment = 'development';

  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'http://localhost:3000';

  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = 'commerce-api';

  @IntegerVariable({ min: 30, max: 24 * 3600 })
  JWT_ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/-----BEGIN PRIVATE KEY-----/, {
    message: 'JWT_PRIVATE_KEY must be a PKCS#8 PEM private key',
  })
  JWT_PRIVATE_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, {
    message: 'JWT_PUBLIC_KEY must be an SPKI PEM public key',
  })
  JWT_PUBLIC_KEY?: string;

  @IsString()
  JWT_DEV_KEY_DIR = '.keys';

  /** Public keys retired by a rotation, as PEM blocks one after another (see .env.example). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, {
    message: 'JWT_PREVIOUS_PUBLIC_KEYS must hold one or more SPKI PEM public keys',
  })
  JWT_PREVIOUS_PUBLIC_KEYS?: string;

  /** Identity's key set; when set, access tokens are verified against it instead of JWT_PUBLIC_KEY. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    {
      message:
        'JWT_JWKS_URL must be an http(s) URL such as http://identity:3000/.well-known/jwks.json',
    },
  )
  JWT_JWKS_URL?: string;

  @IntegerVariable({ min: 1000 })
  JWT_JWKS_CACHE_MAX_AGE_MS = 300_000;

  @IntegerVariable({ min: 0 })
  JWT_JWKS_COOLDOWN_MS = 10_000;

  @IntegerVariable({ min: 100, max: 60_000 })
  JWT_JWKS_TIMEOUT_MS = 2_000;
}

/** Where and how an app that signs nothing fetches identity's public keys. */
export interface JwksSettings {
  readonly url: string;
  /** A fetched key set is refreshed in the background once it is this old. */
  readonly cacheMaxAgeMs: number;
  /** At most one fetch per this interval, whatever the tokens say (forged `kid`s included). */
  readonly cooldownMs: number;
  readonly timeoutMs: number;
}

/** Access tokens: who issues them for whom, and the keys that sign and verify them. */
export abstract class AuthConfig {
  abstract readonly issuer: string;
  abstract readonly audience: string;
  abstract readonly accessTokenTtlSeconds: number;
  /** Absent only on a production app that verifies through the JWKS and signs nothing. */
  abstract readonly keys?: JwtKeyPair;
  /** Keys retired by a rotation: still published and accepted until removed from config. */
  abstract readonly previousPublicKeys: readonly JwtPublicKey[];
  /** Set when access tokens are verified against identity's JWKS, not configured keys. */
  abstract readonly jwks?: JwksSettings;
}

export const authConfig = defineConfigSection({
  name: 'auth',
  variables: AuthVariables,
  settings: AuthConfig,
  secrets: ['JWT_PRIVATE_KEY'],
  build: (variables): AuthConfig => ({
    issuer: variables.JWT_ISSUER,
    audience: variables.JWT_AUDIENCE,
    accessTokenTtlSeconds: variables.JWT_ACCESS_TOKEN_TTL_SECONDS,
    ...resolveJwtKeys(variables),
    jwks: variables.JWT_JWKS_URL
      ? {
          url: variables.JWT_JWKS_URL,
          cacheMaxAgeMs: variables.JWT_JWKS_CACHE_MAX_AGE_MS,
          cooldownMs: variables.JWT_JWKS_COOLDOWN_MS,
          timeoutMs: variables.JWT_JWKS_TIMEOUT_MS,
        }
      : undefined,
  }),
});
