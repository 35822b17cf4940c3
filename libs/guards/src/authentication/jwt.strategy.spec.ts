import { generateKeyPairSync } from 'node:crypto';
import { UnauthorizedException } from '@nestjs/common';
import { authConfig } from '#lib/config';
import { JwtStrategy } from './jwt.strategy.js';
import { verificationKeySourceFor } from './verification-key-source.provider.js';

const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const auth = authConfig.load({
  NODE_ENV: 'test',
  JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
});
const revokedSubjects = new Set<string>();
const strategy = new JwtStrategy(auth, verificationKeySourceFor(auth), {
  isRevoked: async (subject) => revokedSubjects.has(subject),
});

const validClaims = {
  sub: 'user-1',
  jti: 'token-1',
  roles: ['customer'],
  iss: auth.issuer,
  aud: auth.audience,
  exp: Math.floor(Date.now() / 1000) + 60,
};

describe('JwtStrategy.validate', () => {
  it.each([
    ['a customer', ['customer'], ['customer']],
    ['an admin who is also a customer', ['customer', 'admin'], ['customer', 'admin']],
    ['a user without roles', [], []],
  ])('maps the claims of %s to the authenticated user', async (_who, roles, expectedRoles) => {
    await expect(strategy.validate({ ...validClaims, roles })).resolves.toEqual({
      id: 'user-1',
      roles: expectedRoles,
      tokenId: 'token-1',
    });
  });

  it.each([
    ['has no subject', { sub: undefined }],
    ['has an empty subject', { sub: '' }],
    ['has a numeric subject', { sub: 42 }],
    ['has no token id', { jti: undefined }],
    ['has an empty token id', { jti: '' }],
    ['has no roles claim', { roles: undefined }],
    ['has a roles claim that is not a list', { roles: 'admin' }],
    ['carries an unknown role', { roles: ['customer', 'superuser'] }],
    ['has no expiry', { exp: undefined }],
  ])('rejects a token that %s', async (_problem, override) => {
    await expect(strategy.validate({ ...validClaims, ...override })).rejects.toThrow(
      UnauthorizedException,
    );
  });

  it('rejects an otherwise valid token whose subject is revoked, and only that subject', async () => {
    revokedSubjects.add('user-2');
    try {
      await expect(strategy.validate({ ...validClaims, sub: 'user-2' })).rejects.toThrow(
        UnauthorizedException,
      );
      await expect(strategy.validate(validClaims)).resolves.toMatchObject({ id: 'user-1' });
    } finally {
      revokedSubjects.delete('user-2');
    }
  });
});
