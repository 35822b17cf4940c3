import { createHash, randomBytes } from 'node:crypto';

const SECRET_BYTES = 32;

/**
 * The opaque string a client holds. Only its SHA-256 is stored: a leaked table yields no usable
 * token, and a fast hash suffices because the secret has 256 random bits (nothing to brute-force).
 */
export class RefreshTokenSecret {
  private constructor(
    readonly value: string,
    readonly hash: string,
  ) {}

  static generate(): RefreshTokenSecret {
    const value = randomBytes(SECRET_BYTES).toString('base64url');
    return new RefreshTokenSecret(value, RefreshTokenSecret.hashOf(value));
  }

  /** The lookup key of a presented token. */
  static hashOf(value: string): string {
    return createHash('sha256').update(value, 'utf8').digest('hex');
  }
}
