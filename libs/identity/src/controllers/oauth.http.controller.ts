import {
  Body,
  Controller,
  Header,
  HttpCode,
  HttpStatus,
  Ip,
  Post,
  UseFilters,
} from '@nestjs/common';
import { ApiConsumes, ApiExtension, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '#lib/guards';
import { PasswordGrantService } from '../services/password-grant.service.js';
import { RefreshTokenGrantService } from '../services/refresh-token-grant.service.js';
import { RevokeRefreshTokenService } from '../services/revoke-refresh-token.service.js';
import type { TokenPair } from '../services/token-pair.js';
import { ApiOAuthErrorResponses } from './api-oauth-error-responses.decorator.js';
import { RevokeTokenRequestDto } from './dto/revoke-token.request.dto.js';
import { TokenRequestDto } from './dto/token.request.dto.js';
import { TokenResponseDto } from './dto/token.response.dto.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { OAuthRequestError } from './oauth-request.error.js';

const FORM = 'application/x-www-form-urlencoded';

/** OAuth 2.0 endpoints: token (RFC 6749) and revocation (RFC 7009). Errors follow RFC 6749 §5.2. */
@ApiTags('auth')
// Tells the OpenAPI builder not to add problem+json responses: these routes answer OAuth2 errors.
@ApiExtension('x-error-format', 'oauth2')
@ApiOAuthErrorResponses({
  429: 'Too many requests; see Retry-After',
  500: '`server_error`',
  503: '`temporarily_unavailable`: the database is not answering; see Retry-After',
})
@Public()
@UseFilters(OAuthErrorFilter)
@Controller({ path: 'auth', version: '1' })
export class OAuthHttpController {
  constructor(
    private readonly passwordGrant: PasswordGrantService,
    private readonly refreshTokenGrant: RefreshTokenGrantService,
    private readonly revokeRefreshToken: RevokeRefreshTokenService,
  ) {}

  @Post('token')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiConsumes(FORM)
  @ApiOperation({
    operationId: 'requestToken',
    summary: 'Obtain tokens (OAuth 2.0 token endpoint)',
    description:
      '`grant_type=password` with `username` (email) and `password` logs in; ' +
      '`grant_type=refresh_token` with `refresh_token` exchanges a refresh token, which is single use: ' +
      'the response carries its successor, and presenting a used token again revokes every token of its login. ' +
      'Login attempts are limited per account and per client address.',
  })
  @ApiOkResponse({
    type: TokenResponseDto,
    headers: {
      'Cache-Control': { description: 'no-store', schema: { type: 'string' } },
    },
  })
  @ApiOAuthErrorResponses({
    400: '`invalid_grant` (wrong credentials; invalid, expired, revoked or reused refresh token), `invalid_request`, `unsupported_grant_type`',
    429: 'Too many login attempts for the account or client address; see Retry-After',
  })
  async token(@Body() body: TokenRequestDto, @Ip() clientIp: string): Promise<TokenResponseDto> {
    return TokenResponseDto.from(await this.exchange(body, clientIp));
  }

  @Post('revoke')
  @HttpCode(HttpStatus.OK)
  @ApiConsumes(FORM)
  @ApiOperation({
    operationId: 'revokeToken',
    summary: 'Revoke a refresh token (logout)',
    description:
      'Revokes the refresh token and every token of its login. Answers 200 for unknown tokens too (RFC 7009). ' +
      'Access tokens cannot be revoked: they expire within minutes.',
  })
  @ApiOkResponse({ description: 'Revoked, or nothing to revoke' })
  @ApiOAuthErrorResponses({ 400: '`invalid_request`: no token' })
  async revoke(@Body() body: RevokeTokenRequestDto): Promise<void> {
    await this.revokeRefreshToken.revoke(body.token);
  }

  private exchange(body: TokenRequestDto, clientIp: string): Promise<TokenPair> {
    switch (body.grant_type) {
      case 'password':
        if (!body.username || !body.password) {
          throw new OAuthRequestError('invalid_request', 'username and password are required');
        }
        return this.passwordGrant.exchange({
          username: body.username,
          password: body.password,
          clientIp,
        });
      case 'refresh_token':
        if (!body.refresh_token) {
          throw new OAuthRequestError('invalid_request', 'refresh_token is required');
        }
        return this.refreshTokenGrant.exchange(body.refresh_token);
      default:
        throw new OAuthRequestError(
          'unsupported_grant_type',
          'grant_type must be password or refresh_token',
        );
    }
  }
}
