import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import type { User } from '../domain/user.js';
import { LastAdminError, UserNotFoundError } from '../domain/user.errors.js';
import { UserRepository } from '../repositories/user.repository.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';

export interface ChangeUserRolesCommand {
  readonly userId: string;
  readonly roles: readonly string[];
  readonly changedBy: { readonly id: string };
}

/**
 * An admin grants or withdraws roles. The change shows in the user's next access token (at most
 * one access-token lifetime later): tokens are not revoked, which keeps verification stateless.
 *
 * The last administrator never loses the admin role (409 IDENTITY.LAST_ADMIN). A change that
 * withdraws it first locks the administrators' rows, as a deletion does, so two admins demoting
 * each other at once run one after the other and the second sees the first's outcome.
 */
@Injectable()
export class ChangeUserRolesService {
  constructor(
    private readonly users: UserRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  change(command: ChangeUserRolesCommand): Promise<User> {
    return this.unitOfWork.run(async () => {
      const withdrawsAdmin = !command.roles.includes('admin');
      const administrators = withdrawsAdmin ? await this.users.lockAdministrators() : [];
      const user = await this.users.findById(command.userId);
      if (!user) throw new UserNotFoundError();
      // The domain's own refusals (unknown role, own admin role) come before the shop-wide rule.
      user.changeRoles(command.roles, command.changedBy, this.clock.now());
      if (administrators.length === 1 && administrators[0] === user.id) {
        throw new LastAdminError('demoted');
      }
      await this.users.updateRoles(user);
      return user;
    });
  }
}
