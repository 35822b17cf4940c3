import type { ArgumentsHost } from '@nestjs/common';
import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  Logger,
} from '@nestjs/common';
import {
  InvalidCredentialsError,
  TooManyLoginAttemptsError,
} from '../domain/credentials.errors.js';
import {
  InvalidRefreshTokenError,
  RefreshTokenReuseDetectedError,
} from '../domain/refresh-token.errors.js';
import { WeakPasswordError } from '../domain/user.errors.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { OAuthRequestError } from './oauth-request.error.js';

function capture(exception: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = {
    headers: {},
  };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ id: 'req-1' }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new OAuthErrorFilter().catch(exception, host);
  return sent;
}

describe('OAuthErrorFilter', () => {
  // The filter logs unexpected errors on purpose; keep the test output for test results.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(true);
  });

  it.each<[string, unknown, number, string]>([
    ['wrong credentials', new InvalidCredentialsError(), 400, 'invalid_grant'],
    ['an invalid refresh token', new InvalidRefreshTokenError(), 400, 'invalid_grant'],
    ['a replayed refresh token', new RefreshTokenReuseDetectedError(), 400, 'invalid_grant'],
    [
      'a missing field',
      new OAuthRequestError('invalid_request', 'refresh_token is required'),
      400,
      'invalid_request',
    ],
    [
      'an unknown grant',
      new OAuthRequestError('unsupported_grant_type', 'no'),
      400,
      'unsupported_grant_type',
    ],
    [
      'a validation failure',
      new BadRequestException(['grant_type must be a string']),
      400,
      'invalid_request',
    ],
    ['a domain validation error', new WeakPasswordError(['too_short']), 400, 'invalid_request'],
    ['the global rate limit', new HttpException('Too many requests', 429), 429, 'invalid_request'],
    ['a server error', new InternalServerErrorException('db down'), 500, 'server_error'],
    ['an unexpected error', new Error('boom at 10.0.0.1'), 500, 'server_error'],
  ])('maps %s to %i %s, never cacheable', (_case, exception, status, error) => {
    const sent = capture(exception);
    expect(sent.status).toBe(status);
    expect(sent.body).toMatchObject({ error });
    expect(sent.headers['cache-control']).toBe('no-store');
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
  });

  it('describes the failed fields of a validation error', () => {
    expect(capture(new BadRequestException(['grant_type must be a string'])).body).toEqual({
      error: 'invalid_request',
      error_description: 'grant_type must be a string',
    });
  });

  it('says the same for an unknown user and a wrong password', () => {
    expect(capture(new InvalidCredentialsError()).body).toEqual({
      error: 'invalid_grant',
      error_description: 'The username or password is incorrect',
    });
  });

  it('answers too many logins with 429 and Retry-After', () => {
    const sent = capture(new TooManyLoginAttemptsError(42));
    expect(sent.status).toBe(429);
    expect(sent.headers['retry-after']).toBe('42');
    expect(sent.body).toEqual({
      error: 'invalid_request',
      error_description: 'too many login attempts; retry later',
    });
  });

  it('reveals nothing of an unexpected error', () => {
    expect(capture(new Error('boom at 10.0.0.1')).body).toEqual({ error: 'server_error' });
  });
});
