import { Argon2PasswordHasher } from './argon2-password.hasher.js';

describe('Argon2PasswordHasher', () => {
  const hasher = new Argon2PasswordHasher();

  it('hashes with argon2id and a random salt, and verifies only the right password', async () => {
    const [first, second] = await Promise.all([
      hasher.hash('tangerine-bicycle-42'),
      hasher.hash('tangerine-bicycle-42'),
    ]);
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('tangerine');
    await expect(hasher.verify(first, 'tangerine-bicycle-42')).resolves.toBe(true);
    await expect(hasher.verify(first, 'tangerine-bicycle-43')).resolves.toBe(false);
  });

  it('answers false, not an error, for a hash it cannot read', async () => {
    await expect(hasher.verify('not-a-hash', 'whatever-password-1')).resolves.toBe(false);
  });
});
