import { randomUUID } from 'node:crypto';
import { isRole, type Role, ROLES } from '#lib/contracts';
import type { Email } from './email.js';
import { OwnAdminRoleRemovalError, RolesRequiredError, UnknownRoleError } from './user.errors.js';

/** Everything persisted about a user; the repository maps it to and from rows. */
export interface UserSnapshot {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Roles in a canonical order without duplicates, so equal sets compare and store equally. */
function canonicalRoles(requested: readonly string[]): Role[] {
  const unknown = requested.find((role) => !isRole(role));
  if (unknown !== undefined) throw new UnknownRoleError(unknown);
  const roles = ROLES.filter((role) => requested.includes(role));
  if (roles.length === 0) throw new RolesRequiredError();
  return roles;
}

/** A registered account: who it is (email), how it proves it (password hash) and what it may do (roles). */
export class User {
  private constructor(private state: UserSnapshot) {}

  /**
   * A new account. The password arrives hashed: the domain never sees a hash function, and never
   * holds a plain password longer than the use case that checks the policy.
   */
  static register(input: {
    email: Email;
    passwordHash: string;
    now: Date;
    roles?: readonly Role[];
  }): User {
    return new User({
      id: randomUUID(),
      email: input.email.value,
      passwordHash: input.passwordHash,
      roles: canonicalRoles(input.roles ?? ['customer']),
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(snapshot: UserSnapshot): User {
    return new User({ ...snapshot, roles: [...snapshot.roles] });
  }

  get id(): string {
    return this.state.id;
  }

  get email(): string {
    return this.state.email;
  }

  get passwordHash(): string {
    return this.state.passwordHash;
  }

  get roles(): readonly Role[] {
    return this.state.roles;
  }

  get createdAt(): Date {
    return this.state.createdAt;
  }

  get updatedAt(): Date {
    return this.state.updatedAt;
  }

  hasRole(role: Role): boolean {
    return this.state.roles.includes(role);
  }

  /**
   * Replaces the user's roles. An admin may not take away their own admin role: that is how a shop
   * ends up with no admin at all, and it is never what the one clicking meant.
   */
  changeRoles(requested: readonly string[], changedBy: { readonly id: string }, now: Date): void {
    const roles = canonicalRoles(requested);
    if (changedBy.id === this.id && this.hasRole('admin') && !roles.includes('admin')) {
      throw new OwnAdminRoleRemovalError();
    }
    this.state = { ...this.state, roles, updatedAt: now };
  }

  toSnapshot(): UserSnapshot {
    return { ...this.state, roles: [...this.state.roles] };
  }
}
