import { AccessTokenRevocation } from '../services/ports/access-token-revocation.port.js';

/** Test double of the access-token revocation port: remembers who was revoked, or fails. */
export class RecordingAccessTokenRevocation extends AccessTokenRevocation {
  readonly revoked: string[] = [];
  failure: Error | undefined;

  async revoke(userId: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.revoked.push(userId);
  }
}
