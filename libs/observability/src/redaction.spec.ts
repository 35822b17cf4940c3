import { isSecretKey, REDACTED, redactSecrets } from './redaction.js';

describe('isSecretKey', () => {
  it.each([
    'password',
    'newPassword',
    'password_confirmation',
    'refresh_token',
    'refreshToken',
    'access_token',
    'token',
    'client_secret',
    'clientSecret',
    'Authorization',
    'cookie',
    'set-cookie',
    'x-api-key',
  ])('treats %s as a secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['email', 'token_type', 'tokenType', 'expires_in', 'userId', 'grant_type'])(
    'keeps %s readable',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );
});

describe('redactSecrets', () => {
  it('replaces secrets at any depth, inside arrays too, and keeps the other fields', () => {
    const redacted = redactSecrets({
      user: { email: 'a@example.test', password: 'hunter2' },
      grants: [{ grant_type: 'refresh_token', refresh_token: 'r1' }],
      deep: { a: { b: { c: { client_secret: 's1' } } } },
    });

    expect(redacted).toEqual({
      user: { email: 'a@example.test', password: REDACTED },
      grants: [{ grant_type: 'refresh_token', refresh_token: REDACTED }],
      deep: { a: { b: { c: { client_secret: REDACTED } } } },
    });
  });

  it('redacts the fields of class instances such as request DTOs', () => {
    class RegisterUserRequest {
      constructor(
        readonly email: string,
        readonly password: string,
      ) {}
    }

    const redacted = redactSecrets({ body: new RegisterUserRequest('a@example.test', 'hunter2') });

    expect(redacted).toEqual({ body: { email: 'a@example.test', password: REDACTED } });
  });

  it('never mutates the object it was given', () => {
    const body = { password: 'hunter2' };

    redactSecrets({ body });

    expect(body.password).toBe('hunter2');
  });

  it('redacts an object referenced twice at both places and cuts cycles', () => {
    const credentials: Record<string, unknown> = { token: 't1' };
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;

    const redacted = redactSecrets({ first: credentials, second: credentials, cyclic });

    expect(redacted).toEqual({
      first: { token: REDACTED },
      second: { token: REDACTED },
      cyclic: { name: 'loop', self: '[Circular]' },
    });
  });

  it('drops what is nested deeper than it inspects instead of writing it unchecked', () => {
    let nested: Record<string, unknown> = { password: 'hunter2' };
    for (let level = 0; level < 12; level += 1) nested = { nested };

    expect(JSON.stringify(redactSecrets(nested))).not.toContain('hunter2');
  });

  it('leaves errors and the fields pino serializes itself untouched', () => {
    const error = new Error('boom');
    const req = { headers: { authorization: 'Bearer x' } };

    const redacted = redactSecrets({ err: error, req }, new Set(['req', 'err']));

    expect(redacted.err).toBe(error);
    expect(redacted.req).toBe(req);
  });
});
