import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** RFC 7009 §2.1 revocation request. */
export class RevokeTokenRequestDto {
  @ApiProperty({ description: 'The refresh token to revoke, with every token of its family' })
  @IsString()
  @MaxLength(4096)
  token!: string;

  @ApiPropertyOptional({ enum: ['refresh_token', 'access_token'] })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  token_type_hint?: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored: all clients are public clients' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  client_id?: string;
}
