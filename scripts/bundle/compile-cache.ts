import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Node's compile cache for an app's bundle, made at image build time (docs/adr/0056): the app is
 * started once with a setting it refuses, so Node compiles the bundle and every package it loads
 * at start-up, writes V8's code for them to `directory`, and the app exits before it reads a key
 * or opens a connection. A container pointed at that directory (NODE_COMPILE_CACHE) skips that
 * compilation. Node keys the cache by file path, Node build and user id, so the image runs this
 * with its own Node, as its own user, on the bundle at the path the container starts.
 */

/** A value HTTP_PORT can never take: configuration refuses it before the app starts anything. */
const REFUSED_PORT = 'compile-cache-only';
const REFUSAL_TIMEOUT_MS = 120_000;

export interface FilledCompileCache {
  directory: string;
  /** Files Node wrote: one per module it compiled, in a folder named after the Node build and user. */
  entries: number;
}

export function fillCompileCache(entry: string, directory: string): FilledCompileCache {
  const absoluteDirectory = resolve(directory);
  mkdirSync(absoluteDirectory, { recursive: true });
  const run = spawnSync(process.execPath, [resolve(entry)], {
    // Nothing of the caller's configuration: the app must take the production path and refuse.
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HTTP_PORT: REFUSED_PORT,
      NODE_COMPILE_CACHE: absoluteDirectory,
    },
    encoding: 'utf8',
    timeout: REFUSAL_TIMEOUT_MS,
  });
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 1 || !output.includes(`HTTP_PORT must be an integer number`)) {
    throw new Error(
      `${entry} did not refuse HTTP_PORT=${REFUSED_PORT} as expected ` +
        `(exit ${run.status ?? run.signal ?? run.error?.message}):\n${output}`,
    );
  }
  // Node writes its files for its user alone (0600); the image copies them as root's, so they
  // must be readable by anyone (and stay writable by no one but root there).
  let entries = 0;
  for (const file of readdirSync(absoluteDirectory, { recursive: true, withFileTypes: true })) {
    const path = join(file.parentPath, file.name);
    if (file.isFile()) entries += 1;
    chmodSync(path, file.isDirectory() ? 0o755 : 0o644);
  }
  if (entries === 0) throw new Error(`Node wrote no compile cache for ${entry} in ${directory}`);
  return { directory: absoluteDirectory, entries };
}

/** `node dist/scripts/bundle/compile-cache.js <bundle entry> <cache directory>` */
function main(): void {
  const [entry, directory] = process.argv.slice(2);
  if (!entry || !directory) {
    throw new Error(
      'usage: compile-cache.js <bundle entry, e.g. dist/bundle/orders/main.mjs> <dir>',
    );
  }
  const filled = fillCompileCache(entry, directory);
  console.log(`${entry}: ${filled.entries} compiled modules cached in ${filled.directory}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main();
}
