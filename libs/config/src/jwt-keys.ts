import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigValidationError } from './config-validation.error.js';
import type { NodeEnvironment } from './sections/service.config.js';

export interface JwtPublicKey {
  readonly publicKeyPem: string;
  /** RFC 7638 thumbprint of the public key, published as `kid` in the JWKS. */
  readonly keyId: string;
}

export interface JwtKeyPair extends JwtPublicKey {
  /** PKCS#8 PEM; absent on apps that only verify tokens. */
  readonly privateKeyPem?: string;
}

/** RFC 7638 JWK thumbprint: a stable `kid` derived from the key itself, so no extra setting is needed. */
export function rsaKeyId(publicKeyPem: string): string {
  const jwk = createPublicKey(publicKeyPem).export({ format: 'jwk' });
  if (jwk.kty !== 'RSA') throw new Error(`an RSA key is required, got ${String(jwk.kty)}`);
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
 * restarts and every app started from one checkout shares it. Written to a temporary name and
 * renamed, so two processes starting at once both end up with one valid file. Production refuses
 * to start without configured keys (see resolveJwtKeys).
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

/** PEM keys often arrive through env files with literal "\n"; accept both forms. */
const unescapePem = (pem: string | undefined): string | undefined => pem?.replace(/\\n/g, '\n');

const PUBLIC_KEY_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

/**
 * `JWT_PREVIOUS_PUBLIC_KEYS` holds PEM blocks one after another. A PEM block delimits itself, so
 * no separator is needed; blank lines or commas between blocks are tolerated, anything else is
 * refused (it would be a truncated or mangled key).
 */
export function splitPublicKeyBlocks(value: string): string[] {
  const blocks = value.match(PUBLIC_KEY_BLOCK) ?? [];
  const leftover = value.replace(PUBLIC_KEY_BLOCK, '').replace(/[\s,]/g, '');
  if (leftover.length > 0 || blocks.length === 0) {
    throw new Error('expected SPKI PEM public keys one after another, with nothing else between');
  }
  return blocks;
}

export interface ResolvedJwtKeys {
  /** Absent only in production on an app that verifies through JWT_JWKS_URL. */
  readonly keys?: JwtKeyPair;
  readonly previousPublicKeys: readonly JwtPublicKey[];
}

/** The variables of the auth section that name keys. */
interface KeyVariables {
  readonly NODE_ENV: NodeEnvironment;
  readonly JWT_PRIVATE_KEY?: string;
  readonly JWT_PUBLIC_KEY?: string;
  readonly JWT_PREVIOUS_PUBLIC_KEYS?: string;
  readonly JWT_JWKS_URL?: string;
  readonly JWT_DEV_KEY_DIR: string;
}

/**
 * The signing pair and the retired keys of a rotation, from the environment. Throws
 * ConfigValidationError naming the variable at fault: an unreadable key, a private and public key
 * that are not one pair (tokens would be signed by a key nobody can verify), or production
 * without any way to verify tokens.
 */
export function resolveJwtKeys(variables: KeyVariables): ResolvedJwtKeys {
  const problems: string[] = [];
  const read = <T>(variable: string, readKey: () => T): T | undefined => {
    try {
      return readKey();
    } catch (error) {
      problems.push(`${variable}: cannot be read as an RSA key (${(error as Error).message})`);
      return undefined;
    }
  };

  const privateKeyPem = unescapePem(variables.JWT_PRIVATE_KEY);
  const publicKeyPem = unescapePem(variables.JWT_PUBLIC_KEY);
  let keys: JwtKeyPair | undefined;
  if (privateKeyPem) {
    const derived = read('JWT_PRIVATE_KEY', () =>
      keyPairFromPem(privateKeyPem, publicKeyOf(privateKeyPem)),
    );
    const configured =
      publicKeyPem && read('JWT_PUBLIC_KEY', () => keyPairFromPem(undefined, publicKeyPem));
    if (derived && configured && derived.keyId !== configured.keyId) {
      problems.push(
        'JWT_PRIVATE_KEY and JWT_PUBLIC_KEY are not one key pair: set JWT_PUBLIC_KEY to the public ' +
          'half of JWT_PRIVATE_KEY, or leave JWT_PUBLIC_KEY empty and it is derived',
      );
    }
    keys = derived;
  } else if (publicKeyPem) {
    keys = read('JWT_PUBLIC_KEY', () => keyPairFromPem(undefined, publicKeyPem));
  } else if (variables.NODE_ENV === 'production') {
    if (!variables.JWT_JWKS_URL) {
      problems.push(
        'JWT_PUBLIC_KEY (with JWT_PRIVATE_KEY on the identity app) or JWT_JWKS_URL must be set in production',
      );
    }
  } else {
    try {
      keys = loadOrCreateDevKeyPair(variables.JWT_DEV_KEY_DIR);
    } catch (error) {
      problems.push(
        `JWT_DEV_KEY_DIR: cannot read or create the development key pair (${(error as Error).message})`,
      );
    }
  }

  const previous = unescapePem(variables.JWT_PREVIOUS_PUBLIC_KEYS);
  const previousPublicKeys: JwtPublicKey[] = [];
  if (previous) {
    const blocks = read('JWT_PREVIOUS_PUBLIC_KEYS', () => splitPublicKeyBlocks(previous)) ?? [];
    blocks.forEach((pem, index) => {
      const key = read(`JWT_PREVIOUS_PUBLIC_KEYS (key ${index + 1})`, () => ({
        publicKeyPem: pem,
        keyId: rsaKeyId(pem),
      }));
      const known = [keys, ...previousPublicKeys].some((other) => other?.keyId === key?.keyId);
      if (key && !known) previousPublicKeys.push(key);
    });
  }

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return { keys, previousPublicKeys };
}
