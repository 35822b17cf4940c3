import { DomainError } from '#lib/kernel';
import type { PasswordViolation } from './password-violation.js';

export class InvalidEmailError extends DomainError {
  readonly code = 'IDENTITY.INVALID_EMAIL';
  readonly kind = 'validation';

  constructor() {
    super('The email address is not valid');
  }
}

export class WeakPasswordError extends DomainError {
  readonly code = 'IDENTITY.WEAK_PASSWORD';
  readonly kind = 'validation';

  constructor(readonly violations: readonly PasswordViolation[]) {
    super(`The password does not meet the password policy: ${violations.join(', ')}`, {
      violations,
    });
  }
}

export class EmailTakenError extends DomainError {
  readonly code = 'IDENTITY.EMAIL_TAKEN';
  readonly kind = 'conflict';

  constructor() {
    // The address is not echoed: the caller knows it, logs and error trackers need not.
    super('A user with this email address already exists');
  }
}

export class UserNotFoundError extends DomainError {
  readonly code = 'IDENTITY.USER_NOT_FOUND';
  readonly kind = 'not_found';

  constructor() {
    super('The user was not found');
  }
}

export class RolesRequiredError extends DomainError {
  readonly code = 'IDENTITY.ROLES_REQUIRED';
  readonly kind = 'validation';

  constructor() {
    super('A user must hold at least one role');
  }
}

export class UnknownRoleError extends DomainError {
  readonly code = 'IDENTITY.UNKNOWN_ROLE';
  readonly kind = 'validation';

  constructor(role: string) {
    super(`"${role}" is not a role`, { role });
  }
}

export class OwnAdminRoleRemovalError extends DomainError {
  readonly code = 'IDENTITY.CANNOT_REMOVE_OWN_ADMIN_ROLE';
  readonly kind = 'unprocessable';

  constructor() {
    super('An admin cannot remove their own admin role; ask another admin');
  }
}

export class LastAdminError extends DomainError {
  readonly code = 'IDENTITY.LAST_ADMIN';
  readonly kind = 'conflict';

  constructor(refused: 'deleted' | 'demoted' = 'deleted') {
    // A shop without an admin can only be repaired in the database (or by restarting with the
    // bootstrap admin configured): refuse instead.
    super(
      refused === 'deleted'
        ? 'The last administrator cannot be deleted; make another user an admin first'
        : 'The last administrator cannot lose the admin role; make another user an admin first',
    );
  }
}
