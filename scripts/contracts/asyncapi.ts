import 'reflect-metadata';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { buildAsyncApiDocument } from './asyncapi-document.js';
import { breakingChanges } from './asyncapi-breaking-changes.js';
import {
  ASYNCAPI_FILE,
  readSnapshots,
  renderAsyncApiYaml,
  renderSnapshot,
  REPO_ROOT,
  snapshotFile,
  snapshotOf,
} from './asyncapi-files.js';
import { asyncApiDiagnostics } from './validate-asyncapi.js';

const USAGE = `usage: asyncapi generate | check | snapshot <major>
  generate          writes docs/contracts/asyncapi.yaml from libs/contracts
  check             fails when the committed document is stale or invalid, or breaks a published version
  snapshot <major>  records the published version <major> (once, when it is first published)`;

const shown = (file: string): string => relative(REPO_ROOT, file);

/** Every reason the committed contract is not fine; empty when it is. */
export async function contractProblems(): Promise<string[]> {
  const document = buildAsyncApiDocument();
  const fresh = await renderAsyncApiYaml(document);
  const problems: string[] = [];
  const committed = existsSync(ASYNCAPI_FILE) ? readFileSync(ASYNCAPI_FILE, 'utf8') : '';
  if (committed !== fresh) {
    problems.push(
      `${shown(ASYNCAPI_FILE)} differs from libs/contracts: run npm run contracts:generate`,
    );
  }
  problems.push(...(await asyncApiDiagnostics(fresh)));
  for (const { major, snapshot } of readSnapshots()) {
    problems.push(...breakingChanges(snapshot, document).map((problem) => `v${major}: ${problem}`));
  }
  return problems;
}

async function main([command, argument]: string[]): Promise<number> {
  if (command === 'generate') {
    writeFileSync(ASYNCAPI_FILE, await renderAsyncApiYaml(buildAsyncApiDocument()));
    console.log(`wrote ${shown(ASYNCAPI_FILE)}`);
    return 0;
  }
  if (command === 'check') {
    const problems = await contractProblems();
    for (const problem of problems) console.error(problem);
    if (problems.length === 0) console.log('the message contract is current and compatible');
    return problems.length === 0 ? 0 : 1;
  }
  if (command === 'snapshot' && /^[1-9][0-9]*$/.test(argument ?? '')) {
    const major = Number(argument);
    const file = snapshotFile(major);
    if (existsSync(file)) {
      console.error(`${shown(file)} exists: a published version is never re-recorded`);
      return 1;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, await renderSnapshot(snapshotOf(buildAsyncApiDocument(), major), major));
    console.log(`wrote ${shown(file)}`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
