import { ApiProperty } from '@nestjs/swagger';
import { type Role, ROLES } from '#lib/contracts';
import type { User } from '../../domain/user.js';

/** A user as the API shows it: never the password hash. */
export class UserResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ann@shop.example' })
  email!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['customer'] })
  roles!: Role[];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  static from(user: User): UserResponseDto {
    return {
      id: user.id,
      email: user.email,
      roles: [...user.roles],
      createdAt: user.createdAt.toISOString(),
    };
  }
}
