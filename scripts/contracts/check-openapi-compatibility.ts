/**
 * The breaking-change gate for REST clients: compares the committed document
 * (docs/contracts/openapi.json, itself checked against the code) with the snapshot of each
 * published version and fails on any breaking change (ADR 0032). `--update` refreshes the
 * snapshots, which it refuses while anything breaks: a compatible addition is then protected too.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formattedFor } from './generated-file.js';
import {
  type OpenApiDocument,
  openApiBreakingChanges,
  versionSnapshot,
} from './openapi-breaking-changes.js';

const PUBLISHED_VERSIONS = ['1'];
const DOCUMENT_PATH = resolve('docs/contracts/openapi.json');
const snapshotPath = (version: string): string =>
  resolve(`docs/contracts/snapshots/openapi-v${version}.json`);

const readJson = async (path: string): Promise<OpenApiDocument> =>
  JSON.parse(await readFile(path, 'utf8')) as OpenApiDocument;

const current = await readJson(DOCUMENT_PATH);
let broken = false;
for (const version of PUBLISHED_VERSIONS) {
  // A version being published for the first time has no snapshot yet: --update takes it.
  const published = await readJson(snapshotPath(version)).catch((error: unknown) => {
    if (process.argv.includes('--update')) return versionSnapshot(current, version);
    throw error;
  });
  const problems = openApiBreakingChanges(published, current);
  if (problems.length > 0) {
    broken = true;
    process.stderr.write(
      `Breaking changes to /v${version} (ship them as /v${Number(version) + 1} beside it):\n` +
        problems.map((problem) => `  - ${problem}\n`).join(''),
    );
  } else if (process.argv.includes('--update')) {
    const path = snapshotPath(version);
    await writeFile(
      path,
      await formattedFor(path, JSON.stringify(versionSnapshot(current, version))),
    );
    process.stdout.write(`updated ${path}\n`);
  } else {
    process.stdout.write(`/v${version}: no breaking change against its snapshot\n`);
  }
}
if (broken) process.exit(1);
