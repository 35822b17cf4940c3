import type { KeyObject } from 'node:crypto';

/**
 * Where the JWT strategy gets the public key that must have signed a token: configured keys
 * (monolith, identity) or identity's JWKS (every other app in split mode). It is also the DI token.
 */
export abstract class VerificationKeySource {
  /**
   * The key for a token's `kid` header (absent in hand-made tokens). Rejects with
   * UnknownSigningKeyError (the token is invalid) or JwksUnavailableError (we cannot tell yet).
   */
  abstract keyFor(keyId: string | undefined): Promise<KeyObject>;
}
