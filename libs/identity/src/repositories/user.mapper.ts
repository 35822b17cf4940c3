import { isRole } from '#lib/contracts';
import { User } from '../domain/user.js';
import { UserRecord } from './user.record.js';

export const UserMapper = {
  toDomain(record: UserRecord): User {
    return User.restore({
      id: record.id,
      email: record.email,
      passwordHash: record.passwordHash,
      // The table's CHECK constraint admits known roles only; the filter narrows the type.
      roles: record.roles.filter(isRole),
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  },

  toRecord(user: User): UserRecord {
    const snapshot = user.toSnapshot();
    return Object.assign(new UserRecord(), { ...snapshot, roles: [...snapshot.roles] });
  },
};
