import type { PasswordGrantService } from '../services/password-grant.service.js';
import type { RefreshTokenGrantService } from '../services/refresh-token-grant.service.js';
import type { RevokeRefreshTokenService } from '../services/revoke-refresh-token.service.js';
import type { TokenRequestDto } from './dto/token.request.dto.js';
import { OAuthHttpController } from './oauth.http.controller.js';
import { OAuthRequestError } from './oauth-request.error.js';

const PAIR = { accessToken: 'at', expiresInSeconds: 900, refreshToken: 'rt' };

function controller() {
  const calls: unknown[] = [];
  const passwordGrant = {
    exchange: async (command: unknown) => (calls.push(['password', command]), PAIR),
  };
  const refreshGrant = {
    exchange: async (token: unknown) => (calls.push(['refresh', token]), PAIR),
  };
  const revoke = { revoke: async (token: unknown) => void calls.push(['revoke', token]) };
  return {
    calls,
    controller: new OAuthHttpController(
      passwordGrant as unknown as PasswordGrantService,
      refreshGrant as unknown as RefreshTokenGrantService,
      revoke as unknown as RevokeRefreshTokenService,
    ),
  };
}

const request = (fields: Partial<TokenRequestDto>): TokenRequestDto => fields as TokenRequestDto;

describe('OAuthHttpController', () => {
  it('answers the password grant in RFC 6749 form, passing the client address for rate limiting', async () => {
    const { controller: oauth, calls } = controller();
    await expect(
      oauth.token(
        request({
          grant_type: 'password',
          username: 'ann@shop.example',
          password: 'p',
          scope: 'x',
        }),
        '10.0.0.1',
      ),
    ).resolves.toEqual({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: 'rt',
    });
    expect(calls).toEqual([
      ['password', { username: 'ann@shop.example', password: 'p', clientIp: '10.0.0.1' }],
    ]);
  });

  it('passes the refresh token of a refresh_token grant', async () => {
    const { controller: oauth, calls } = controller();
    await oauth.token(request({ grant_type: 'refresh_token', refresh_token: 'old' }), '10.0.0.1');
    expect(calls).toEqual([['refresh', 'old']]);
  });

  it.each<[string, Partial<TokenRequestDto>, string]>([
    [
      'a password grant without password',
      { grant_type: 'password', username: 'ann@shop.example' },
      'invalid_request',
    ],
    [
      'a password grant without username',
      { grant_type: 'password', password: 'p' },
      'invalid_request',
    ],
    ['a refresh grant without token', { grant_type: 'refresh_token' }, 'invalid_request'],
    [
      'a refresh grant with an empty token',
      { grant_type: 'refresh_token', refresh_token: '' },
      'invalid_request',
    ],
    ['an unsupported grant', { grant_type: 'client_credentials' }, 'unsupported_grant_type'],
  ])('rejects %s with %s and calls no use case', async (_case, fields, error) => {
    const { controller: oauth, calls } = controller();
    await expect(oauth.token(request(fields), '10.0.0.1')).rejects.toMatchObject({ error });
    await expect(oauth.token(request(fields), '10.0.0.1')).rejects.toBeInstanceOf(
      OAuthRequestError,
    );
    expect(calls).toHaveLength(0);
  });

  it('revokes the given token', async () => {
    const { controller: oauth, calls } = controller();
    await expect(oauth.revoke({ token: 'rt' })).resolves.toBeUndefined();
    expect(calls).toEqual([['revoke', 'rt']]);
  });
});
