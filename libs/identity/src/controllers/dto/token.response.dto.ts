import { ApiProperty } from '@nestjs/swagger';
import type { TokenPair } from '../../services/token-pair.js';

/** RFC 6749 §5.1 successful token response. */
export class TokenResponseDto {
  @ApiProperty({ description: 'RS256 JWT; verify with /.well-known/jwks.json' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({
    type: 'integer',
    example: 900,
    description: 'Lifetime of the access token in seconds',
  })
  expires_in!: number;

  @ApiProperty({ description: 'Opaque, single use: each refresh returns a new one' })
  refresh_token!: string;

  static from(pair: TokenPair): TokenResponseDto {
    return {
      access_token: pair.accessToken,
      token_type: 'Bearer',
      expires_in: pair.expiresInSeconds,
      refresh_token: pair.refreshToken,
    };
  }
}
