import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_grant',
  'unsupported_grant_type',
  'server_error',
  'temporarily_unavailable',
] as const;
export type OAuthErrorCode = (typeof OAUTH_ERRORS)[number];

/** RFC 6749 §5.2 error response: what OAuth clients parse, so these routes do not use problem+json. */
export class OAuthErrorResponseDto {
  @ApiProperty({ enum: OAUTH_ERRORS, example: 'invalid_grant' })
  error!: OAuthErrorCode;

  @ApiPropertyOptional({ example: 'The username or password is incorrect' })
  error_description?: string;
}
