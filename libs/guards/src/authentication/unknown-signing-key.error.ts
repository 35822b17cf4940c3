/** A token names a key (`kid`) that identity does not publish: the token is invalid. */
export class UnknownSigningKeyError extends Error {
  constructor(keyId: string | undefined) {
    super(
      keyId === undefined ? 'the token names no signing key' : `no signing key with kid ${keyId}`,
    );
    this.name = 'UnknownSigningKeyError';
  }
}
