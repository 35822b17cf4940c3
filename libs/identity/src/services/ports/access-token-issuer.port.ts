import type { Role } from '#lib/contracts';

export interface IssuedAccessToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

/** A public signing key in JWK form (RFC 7517), as published at /.well-known/jwks.json. */
export interface PublicJwk {
  readonly kty: string;
  readonly n?: string;
  readonly e?: string;
  readonly alg: string;
  readonly use: 'sig';
  readonly kid: string;
}

/** Signs short-lived access tokens and publishes the keys that verify them; it is also the DI token. */
export abstract class AccessTokenIssuer {
  abstract issue(subject: { userId: string; roles: readonly Role[] }): Promise<IssuedAccessToken>;

  abstract publicKeys(): Promise<readonly PublicJwk[]>;
}
