import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JwtPublicKey } from '#lib/config';
import { VerificationKeySource } from './verification-key.source.js';

/**
 * The keys from configuration: the current public key and the ones retired by a rotation
 * (JWT_PREVIOUS_PUBLIC_KEYS), each parsed once (parsing a PEM per request cost about a sixth of an
 * authenticated request, see bench/RESULTS.md).
 */
export class ConfiguredVerificationKeySource extends VerificationKeySource {
  private readonly byKeyId: ReadonlyMap<string, KeyObject>;
  private readonly current: KeyObject;

  constructor(current: JwtPublicKey, previous: readonly JwtPublicKey[] = []) {
    super();
    this.current = createPublicKey(current.publicKeyPem);
    this.byKeyId = new Map([
      ...previous.map((key) => [key.keyId, createPublicKey(key.publicKeyPem)] as const),
      [current.keyId, this.current],
    ]);
  }

  /**
   * A token without a `kid`, or with one we do not know, is checked against the current key: the
   * signature decides, exactly as before keys rotated, and a forged `kid` gains nothing.
   */
  async keyFor(keyId: string | undefined): Promise<KeyObject> {
    return (keyId !== undefined && this.byKeyId.get(keyId)) || this.current;
  }
}
