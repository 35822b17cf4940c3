import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../domain/password-policy.js';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class RegisterUserRequestDto {
  @ApiProperty({
    example: 'ann@shop.example',
    maxLength: 254,
    description: 'Trimmed and lower-cased; one account per address',
  })
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    example: 'tangerine-bicycle-42',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
    description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters of at least two kinds (lower-case, upper-case, digits, others), not containing the email's local part`,
  })
  @IsString()
  // A coarse bound before the policy check; the policy (in the domain) gives the precise answer.
  @MaxLength(1024)
  password!: string;
}
