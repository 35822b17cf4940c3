import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageNameVersion } from '#lib/contracts';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import type { AsyncApiDocument } from './asyncapi-document.js';

/** The repository root, from the source tree or from dist/. */
function findRepoRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json')) || directory.endsWith('dist')) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('no package.json above the contracts scripts');
    directory = parent;
  }
  return directory;
}

export const REPO_ROOT = findRepoRoot();
export const ASYNCAPI_FILE = join(REPO_ROOT, 'docs/contracts/asyncapi.yaml');
export const SNAPSHOT_DIRECTORY = join(REPO_ROOT, 'docs/contracts/snapshots');
const SNAPSHOT_NAME = /^asyncapi-v([1-9][0-9]*)\.json$/;

export const snapshotFile = (major: number): string =>
  join(SNAPSHOT_DIRECTORY, `asyncapi-v${major}.json`);

/** The document as committed: YAML, formatted as `npm run format` would leave it. */
export async function renderAsyncApiYaml(document: AsyncApiDocument): Promise<string> {
  const text = stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
  return format(text, { ...(await resolveConfig(ASYNCAPI_FILE)), parser: 'yaml' });
}

export async function renderSnapshot(snapshot: AsyncApiDocument, major: number): Promise<string> {
  const file = snapshotFile(major);
  return format(JSON.stringify(snapshot), { ...(await resolveConfig(file)), parser: 'json' });
}

/**
 * What version `major` publishes: its operations and messages (names carry the version), and
 * the messages every version shares (the error reply).
 */
export function snapshotOf(document: AsyncApiDocument, major: number): AsyncApiDocument {
  const ofVersion = (name: string): boolean => {
    const version = messageNameVersion(name);
    return version === undefined || version === major;
  };
  const operations = Object.entries(document.operations as Record<string, unknown>).filter(
    ([name]) => messageNameVersion(name) === major,
  );
  if (operations.length === 0) throw new Error(`the document has no v${major} operation`);
  return {
    asyncapi: document.asyncapi,
    info: {
      title: `What v${major} published: it is never changed (docs/contracts)`,
      version: `${major}`,
    },
    operations: Object.fromEntries(operations),
    components: {
      messages: Object.fromEntries(
        Object.entries(document.components.messages).filter(([name]) => ofVersion(name)),
      ),
    },
  };
}

/** The committed snapshot of every published version. */
export function readSnapshots(): { major: number; snapshot: AsyncApiDocument }[] {
  if (!existsSync(SNAPSHOT_DIRECTORY)) return [];
  return readdirSync(SNAPSHOT_DIRECTORY).flatMap((file) => {
    const match = SNAPSHOT_NAME.exec(file);
    if (!match) return [];
    const text = readFileSync(join(SNAPSHOT_DIRECTORY, file), 'utf8');
    return [{ major: Number(match[1]), snapshot: JSON.parse(text) as AsyncApiDocument }];
  });
}
