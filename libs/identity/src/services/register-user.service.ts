import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import type { Role } from '#lib/contracts';
import { Email } from '../domain/email.js';
import { assertPasswordAcceptable } from '../domain/password-policy.js';
import { User } from '../domain/user.js';
import { EmailTakenError } from '../domain/user.errors.js';
import { UserRepository } from '../repositories/user.repository.js';
import { PasswordHasher } from './ports/password-hasher.port.js';

export interface RegisterUserCommand {
  readonly email: string;
  readonly password: string;
  /** Only trusted callers (the bootstrap admin) pass roles; self-registration is always `customer`. */
  readonly roles?: readonly Role[];
}

@Injectable()
export class RegisterUserService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwordHasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async register(command: RegisterUserCommand): Promise<User> {
    const email = Email.parse(command.email);
    assertPasswordAcceptable(command.password, email.value);
    // Saves an expensive hash in the common case; the unique index still decides concurrent inserts.
    if (await this.users.findByEmail(email.value)) throw new EmailTakenError();
    const passwordHash = await this.passwordHasher.hash(command.password);
    const user = User.register({
      email,
      passwordHash,
      now: this.clock.now(),
      roles: command.roles,
    });
    await this.users.insert(user);
    return user;
  }
}
