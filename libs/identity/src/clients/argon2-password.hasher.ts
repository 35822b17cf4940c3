import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { PasswordHasher } from '../services/ports/password-hasher.port.js';

/**
 * argon2id with OWASP's baseline parameters (19 MiB, 2 passes, 1 lane): about as costly for an
 * attacker per guess as the library default, at a third of the memory per login on our 2-core
 * replicas. The parameters are stored in each hash, so raising them later keeps old hashes valid.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class Argon2PasswordHasher extends PasswordHasher {
  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      // A malformed stored hash must read as "wrong password", never as a 500 that tells them apart.
      return false;
    }
  }
}
