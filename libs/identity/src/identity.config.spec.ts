import { identityConfig } from './identity.config.js';

describe('the identity config section', () => {
  it('has no bootstrap admin unless ADMIN_EMAIL is set', () => {
    expect(identityConfig.load({})).toEqual({
      refreshTokenTtlSeconds: 30 * 24 * 3600,
      bootstrapAdmin: undefined,
    });
  });

  it('requires ADMIN_PASSWORD of at least 12 characters when ADMIN_EMAIL is set', () => {
    expect(() => identityConfig.load({ ADMIN_EMAIL: 'admin@example.test' })).toThrow(
      'ADMIN_PASSWORD is required when ADMIN_EMAIL is set',
    );
    expect(() =>
      identityConfig.load({ ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'short' }),
    ).toThrow('ADMIN_PASSWORD must be at least 12 characters');
    const { bootstrapAdmin } = identityConfig.load({
      ADMIN_EMAIL: 'Admin@Example.test',
      ADMIN_PASSWORD: 'a-long-enough-secret',
    });
    expect(bootstrapAdmin?.email).toBe('admin@example.test');
  });

  it('never echoes ADMIN_PASSWORD in a refusal', () => {
    let refusal = '';
    try {
      identityConfig.load({ ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'hunter2' });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toContain('ADMIN_PASSWORD');
    expect(refusal).not.toContain('hunter2');
  });
});
