import { createHmac, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authConfig } from '#lib/config';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { verificationKeySourceFor } from './verification-key-source.provider.js';
import { Public } from './public.decorator.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const auth = authConfig.load({
  NODE_ENV: 'test',
  JWT_PUBLIC_KEY: publicKeyPem,
  JWT_ISSUER: 'http://issuer.test',
  JWT_AUDIENCE: 'commerce-api',
});
// Registers the strategy with passport, as the module does at start-up; one subject is revoked.
new JwtStrategy(auth, verificationKeySourceFor(auth), {
  isRevoked: async (subject) => subject === 'deleted-user',
});
const guard = new JwtAuthGuard(new Reflector());

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function forge(claims: object, alg: 'RS256' | 'HS256' | 'none' = 'RS256'): string {
  const signingInput = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  const signature =
    alg === 'RS256'
      ? sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')
      : alg === 'HS256'
        ? createHmac('sha256', publicKeyPem).update(signingInput).digest('base64url')
        : '';
  return `${signingInput}.${signature}`;
}

const now = (): number => Math.floor(Date.now() / 1000);
const claims = (override: object = {}): object => ({
  sub: 'user-1',
  jti: randomUUID(),
  roles: ['customer'],
  iss: 'http://issuer.test',
  aud: 'commerce-api',
  iat: now(),
  exp: now() + 300,
  ...override,
});

class Routes {
  me(): void {}
  @Public()
  open(): void {}
}

interface Exchange {
  context: ExecutionContext;
  request: { headers: Record<string, string>; user?: unknown };
  replyHeaders: Map<string, string>;
}

function exchange(authorization?: string, handler: keyof Routes = 'me', type = 'http'): Exchange {
  const request = { headers: authorization ? { authorization } : {} } as Exchange['request'];
  const replyHeaders = new Map<string, string>();
  const reply = { header: (name: string, value: string) => replyHeaders.set(name, value) };
  const context = {
    getType: () => type,
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context, request, replyHeaders };
}

async function rejection(authorization?: string): Promise<{ error: unknown; challenge?: string }> {
  const { context, replyHeaders } = exchange(authorization);
  try {
    await guard.canActivate(context);
  } catch (error) {
    return { error, challenge: replyHeaders.get('WWW-Authenticate') };
  }
  throw new Error('the guard let the request through');
}

describe('JwtAuthGuard', () => {
  it('accepts a valid RS256 token and attaches the caller to the request', async () => {
    const { context, request } = exchange(`Bearer ${forge(claims({ roles: ['admin'] }))}`);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.user).toMatchObject({ id: 'user-1', roles: ['admin'] });
  });

  it('asks for a token, without an error code, when none is sent', async () => {
    const { error, challenge } = await rejection();
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(challenge).toBe('Bearer');
  });

  it('treats a non-bearer Authorization header as no token', async () => {
    const { error, challenge } = await rejection('Basic dXNlcjpwYXNz');
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(challenge).toBe('Bearer');
  });

  it('tells the client an expired token expired, so it can refresh', async () => {
    const { error, challenge } = await rejection(
      `Bearer ${forge(claims({ iat: now() - 600, exp: now() - 60 }))}`,
    );
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(challenge).toBe(
      'Bearer error="invalid_token", error_description="The access token expired"',
    );
  });

  const tampered = (): string => {
    const [header, , signature] = forge(claims()).split('.');
    return `${header}.${encode(claims({ roles: ['admin'] }))}.${signature}`;
  };

  it.each([
    ['a tampered payload', tampered],
    ['an unsigned token (alg none)', () => forge(claims(), 'none')],
    ['an HS256 token signed with the public key as secret', () => forge(claims(), 'HS256')],
    ['a token for another audience', () => forge(claims({ aud: 'another-api' }))],
    ['a token from another issuer', () => forge(claims({ iss: 'http://evil.test' }))],
    ['a token not yet valid', () => forge(claims({ nbf: now() + 600 }))],
    ['a token without an expiry', () => forge(claims({ exp: undefined }))],
    ['a token without an id', () => forge(claims({ jti: undefined }))],
    ['a token with an unknown role', () => forge(claims({ roles: ['root'] }))],
    ['a malformed token', () => 'not.a.jwt'],
    ["a deleted user's token (subject revoked)", () => forge(claims({ sub: 'deleted-user' }))],
  ])('rejects %s as an invalid token', async (_case, token) => {
    const { error, challenge } = await rejection(`Bearer ${token()}`);
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(challenge).toBe(
      'Bearer error="invalid_token", error_description="The access token is invalid"',
    );
  });

  it('lets a @Public() route through without a token', async () => {
    expect(await guard.canActivate(exchange(undefined, 'open').context)).toBe(true);
  });

  it('leaves message handlers to the transport', async () => {
    expect(await guard.canActivate(exchange(undefined, 'me', 'rpc').context)).toBe(true);
  });
});
