import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JwtKeyPair } from './app-config.js';

/** RFC 7638 JWK thumbprint: a stable `kid` derived from the key itself, so no extra setting is needed. */
export function rsaKeyId(publicKeyPem: string): string {
  const jwk = createPublicKey(publicKeyPem).export({ format: 'jwk' });
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function keyPairFromPem(
  privateKeyPem: string | undefined,
  publicKeyPem: string,
): JwtKeyPair {
  return { privateKeyPem, publicKeyPem, keyId: rsaKeyId(publicKeyPem) };
}

export function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Development convenience: a key pair generated on first start and kept in `dir`, so tokens survive
 * restarts. Written to a temporary name and renamed, so two processes starting at once both end up
 * with one valid file. Production refuses to start without configured keys (see loadConfig).
 */
export function loadOrCreateDevKeyPair(dir: string): JwtKeyPair {
  const privatePath = join(dir, 'jwt-dev-private.pem');
  try {
    const privateKeyPem = readFileSync(privatePath, 'utf8');
    return keyPairFromPem(privateKeyPem, publicKeyOf(privateKeyPem));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const temporaryPath = `${privatePath}.${process.pid}.tmp`;
  writeFileSync(temporaryPath, privateKeyPem, { mode: 0o600 });
  renameSync(temporaryPath, privatePath);
  return keyPairFromPem(privateKeyPem, publicKeyOf(privateKeyPem));
}
