import type { User } from '../domain/user.js';

/** Where a page of users starts: after the user with this creation time and id. */
export interface UserPosition {
  readonly createdAt: Date;
  readonly id: string;
}

/** Users persistence port; it is also the DI token. */
export abstract class UserRepository {
  /** Throws EmailTakenError when another user has the email, even under concurrent inserts. */
  abstract insert(user: User): Promise<void>;

  abstract findById(id: string): Promise<User | null>;

  /** `email` in normal form (see Email.normalise). */
  abstract findByEmail(email: string): Promise<User | null>;

  abstract updateRoles(user: User): Promise<void>;

  /**
   * Ids of every administrator, their rows locked until the surrounding unit of work ends. Whoever
   * may remove an admin takes it first: two such operations then run one after the other, and the
   * second sees what the first left (a plain count would let two admins delete each other).
   */
  abstract lockAdministrators(): Promise<string[]>;

  /** Removes the user; false when there was none. */
  abstract delete(id: string): Promise<boolean>;

  /** Users in creation order (ties broken by id), starting after `after`. */
  abstract listInCreationOrder(after: UserPosition | undefined, limit: number): Promise<User[]>;
}
