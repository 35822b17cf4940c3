import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import type { User } from '../domain/user.js';
import { UserNotFoundError } from '../domain/user.errors.js';
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
      const user = await this.users.findById(command.userId);
      if (!user) throw new UserNotFoundError();
      user.changeRoles(command.roles, command.changedBy, this.clock.now());
      await this.users.updateRoles(user);
      return user;
    });
  }
}
