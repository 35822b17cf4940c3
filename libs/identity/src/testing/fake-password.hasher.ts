import { PasswordHasher } from '../services/ports/password-hasher.port.js';

/** Test double: a reversible "hash" that is instant, and a count of verifications. */
export class FakePasswordHasher extends PasswordHasher {
  verifications = 0;

  async hash(password: string): Promise<string> {
    return `hashed:${password}`;
  }

  async verify(hash: string, password: string): Promise<boolean> {
    this.verifications += 1;
    return hash === `hashed:${password}`;
  }
}
