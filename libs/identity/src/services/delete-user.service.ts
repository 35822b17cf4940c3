import { Injectable } from '@nestjs/common';
import { LastAdminError, UserNotFoundError } from '../domain/user.errors.js';
import { RefreshTokenRepository } from '../repositories/refresh-token.repository.js';
import { UserRepository } from '../repositories/user.repository.js';
import { AccessTokenRevocation } from './ports/access-token-revocation.port.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';

/**
 * Deletes an account (the user themselves, or an admin): the user row and every refresh-token
 * family go, and the outstanding access tokens are revoked in every app (ADR 0042). The last
 * administrator is never deleted (409 IDENTITY.LAST_ADMIN).
 *
 * All of it happens in one transaction that first locks the administrators' rows, so two admins
 * deleting each other at once run one after the other and the second is refused. Revocation comes
 * after that check, so a refused deletion revokes nothing, and before the deletion: if it cannot be
 * recorded nothing is deleted (503, try again); if the commit then fails, the user is only locked
 * out until their tokens expire, and a retry completes it.
 */
@Injectable()
export class DeleteUserService {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly accessTokens: AccessTokenRevocation,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async delete(userId: string): Promise<void> {
    await this.unitOfWork.run(async () => {
      const administrators = await this.users.lockAdministrators();
      if (!(await this.users.findById(userId))) throw new UserNotFoundError();
      if (administrators.length === 1 && administrators[0] === userId) throw new LastAdminError();
      await this.accessTokens.revoke(userId);
      await this.refreshTokens.deleteAllOf(userId);
      // Gone meanwhile (a concurrent deletion) is the outcome asked for: nothing to report.
      await this.users.delete(userId);
    });
  }
}
