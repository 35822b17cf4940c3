import { User, type UserSnapshot } from '../domain/user.js';
import { EmailTakenError } from '../domain/user.errors.js';
import { type UserPosition, UserRepository } from '../repositories/user.repository.js';

const compare = (a: UserPosition, b: UserPosition): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Test double of the users port; keeps snapshots so callers cannot mutate what is "persisted". */
export class InMemoryUserRepository extends UserRepository {
  private readonly rows = new Map<string, UserSnapshot>();

  async insert(user: User): Promise<void> {
    if ([...this.rows.values()].some((row) => row.email === user.email))
      throw new EmailTakenError();
    this.rows.set(user.id, user.toSnapshot());
  }

  async findById(id: string): Promise<User | null> {
    const row = this.rows.get(id);
    return row ? User.restore(row) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = [...this.rows.values()].find((candidate) => candidate.email === email);
    return row ? User.restore(row) : null;
  }

  async updateRoles(user: User): Promise<void> {
    const row = this.rows.get(user.id);
    if (row) this.rows.set(user.id, { ...row, roles: user.roles, updatedAt: user.updatedAt });
  }

  /** One process, no interleaving inside a unit of work here: nothing to lock. */
  async lockAdministrators(): Promise<string[]> {
    return [...this.rows.values()]
      .filter((row) => row.roles.includes('admin'))
      .map((row) => row.id);
  }

  async delete(id: string): Promise<boolean> {
    return this.rows.delete(id);
  }

  async listInCreationOrder(after: UserPosition | undefined, limit: number): Promise<User[]> {
    return [...this.rows.values()]
      .filter((row) => after === undefined || compare(row, after) > 0)
      .sort(compare)
      .slice(0, limit)
      .map((row) => User.restore(row));
  }
}
