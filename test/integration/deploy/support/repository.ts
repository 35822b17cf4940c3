import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

export const repoPath = (...segments: string[]): string => resolve(REPO_ROOT, ...segments);

export const readRepoFile = (path: string): string => readFileSync(repoPath(path), 'utf8');

/**
 * The variables `.env.example` documents, which is every variable the apps read: a deployment
 * setting outside this set is a typo or a leftover that the app silently ignores.
 */
export function documentedVariables(): Map<string, string> {
  const variables = new Map<string, string>();
  for (const line of readRepoFile('.env.example').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) variables.set(match[1], match[2]);
  }
  return variables;
}

/** Settings that carry credentials: they belong in Secrets, never in ConfigMaps or images. */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_READ_REPLICA_URLS',
  'REDIS_URL',
  'RABBITMQ_URL',
  'JWT_PRIVATE_KEY',
  'JWT_PUBLIC_KEY',
  'ADMIN_PASSWORD',
] as const;
