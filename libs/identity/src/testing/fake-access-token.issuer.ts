import type { Role } from '#lib/contracts';
import {
  AccessTokenIssuer,
  type IssuedAccessToken,
  type PublicJwk,
} from '../services/ports/access-token-issuer.port.js';

/** Test double: tokens that name their subject, and a record of what was issued. */
export class FakeAccessTokenIssuer extends AccessTokenIssuer {
  readonly issued: { userId: string; roles: readonly Role[] }[] = [];

  async issue(subject: { userId: string; roles: readonly Role[] }): Promise<IssuedAccessToken> {
    this.issued.push(subject);
    return { token: `access-for:${subject.userId}:${this.issued.length}`, expiresInSeconds: 900 };
  }

  async publicKeys(): Promise<readonly PublicJwk[]> {
    return [];
  }
}
