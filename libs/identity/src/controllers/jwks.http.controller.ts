import { Controller, Get, Header, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, SkipThrottle } from '#lib/guards';
import { AccessTokenIssuer } from '../services/ports/access-token-issuer.port.js';
import { JwksResponseDto } from './dto/jwks.response.dto.js';

/**
 * The public keys that verify access tokens (RFC 7517), at the well-known path, unversioned: the
 * current key and those retired by a rotation that are still configured. Cached for five minutes;
 * apps verifying through it fetch again as soon as a token names a key they lack (ADR 0018).
 */
@ApiTags('auth')
@Public()
@SkipThrottle()
@Controller({ path: '.well-known', version: VERSION_NEUTRAL })
export class JwksHttpController {
  constructor(private readonly accessTokens: AccessTokenIssuer) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    operationId: 'getJwks',
    summary: 'JSON Web Key Set for verifying access tokens',
  })
  @ApiOkResponse({ type: JwksResponseDto })
  async jwks(): Promise<JwksResponseDto> {
    return { keys: (await this.accessTokens.publicKeys()).map((key) => ({ ...key })) };
  }
}
