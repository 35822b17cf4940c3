import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The token endpoint's form fields (RFC 6749 §4.3.2 and §6), named as the RFC names them. Which
 * fields are required depends on `grant_type`, so the controller checks them, answering in OAuth
 * error form rather than as a validation problem.
 */
export class TokenRequestDto {
  @ApiProperty({ enum: ['password', 'refresh_token'] })
  @IsString()
  @MaxLength(64)
  grant_type!: string;

  @ApiPropertyOptional({ description: 'The email address (grant_type=password)' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  username?: string;

  @ApiPropertyOptional({ format: 'password', description: 'grant_type=password' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ description: 'grant_type=refresh_token' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored: access is governed by roles' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  scope?: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored: all clients are public clients' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  client_id?: string;
}
