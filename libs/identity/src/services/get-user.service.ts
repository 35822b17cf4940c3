import { Injectable } from '@nestjs/common';
import type { User } from '../domain/user.js';
import { UserNotFoundError } from '../domain/user.errors.js';
import { UserRepository } from '../repositories/user.repository.js';

@Injectable()
export class GetUserService {
  constructor(private readonly users: UserRepository) {}

  async byId(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFoundError();
    return user;
  }
}
