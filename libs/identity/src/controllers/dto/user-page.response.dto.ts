import { ApiProperty } from '@nestjs/swagger';
import type { UserPage } from '../../services/list-users.service.js';
import { UserResponseDto } from './user.response.dto.js';

export class UserPageResponseDto {
  @ApiProperty({ type: [UserResponseDto] })
  items!: UserResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor!: string | null;

  static from(page: UserPage): UserPageResponseDto {
    return {
      items: page.users.map((user) => UserResponseDto.from(user)),
      nextCursor: page.nextCursor ?? null,
    };
  }
}
