import { ApiProperty } from '@nestjs/swagger';
import { type Role, ROLES } from '#lib/contracts';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn } from 'class-validator';

export class ChangeUserRolesRequestDto {
  @ApiProperty({
    enum: ROLES,
    isArray: true,
    example: ['customer', 'admin'],
    description: 'The complete new set of roles (replaces the current one); at least one',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ROLES.length * 2)
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}
