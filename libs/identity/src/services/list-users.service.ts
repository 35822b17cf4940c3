import { Injectable } from '@nestjs/common';
import type { User } from '../domain/user.js';
import { UserRepository } from '../repositories/user.repository.js';
import { UserPageCursor } from './user-page-cursor.js';

export interface UserPage {
  readonly users: readonly User[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/** Admin listing of users, oldest first, with cursor pagination. */
@Injectable()
export class ListUsersService {
  constructor(private readonly users: UserRepository) {}

  async page(query: { limit: number; cursor?: string }): Promise<UserPage> {
    const after = query.cursor === undefined ? undefined : UserPageCursor.decode(query.cursor);
    // One extra row tells whether another page exists without a count query.
    const found = await this.users.listInCreationOrder(after, query.limit + 1);
    const users = found.slice(0, query.limit);
    const last = users.at(-1);
    return found.length > query.limit && last
      ? { users, nextCursor: UserPageCursor.encode({ createdAt: last.createdAt, id: last.id }) }
      : { users };
  }
}
