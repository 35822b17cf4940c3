import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

// import.meta.dirname is not available under Jest 29's ESM runtime.
const REPORT = fileURLToPath(new URL('../../docs/RELIABILITY.md', import.meta.url));

/** Suites record their figures only on a full run (`npm run test:reliability|test:security`), never in CI's fast subset. */
export const recordingResults = (): boolean => process.env.RECORD_RESULTS === '1';

const machine = (): string =>
  `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

/**
 * Replaces one suite's section of docs/RELIABILITY.md (between its markers, appended if new) with
 * what the suite measured, stamped with the date and machine. A no-op unless `recordingResults()`.
 */
export function recordSuiteResult(suiteId: string, title: string, markdownBody: string): void {
  if (!recordingResults()) return;
  const begin = `<!-- suite:${suiteId} -->`;
  const end = `<!-- /suite:${suiteId} -->`;
  const section = [
    begin,
    `### ${title}`,
    '',
    markdownBody.trim(),
    '',
    `_Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}._`,
    end,
  ].join('\n');
  const current = readFileSync(REPORT, 'utf8');
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);
  const next =
    start >= 0 && stop > start
      ? current.slice(0, start) + section + current.slice(stop + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(REPORT, next);
}
