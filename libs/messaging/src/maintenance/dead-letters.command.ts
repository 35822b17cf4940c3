import type { DeadLetterAdmin } from '../delivery/dead-letter-admin.js';

const USAGE = `usage: npm run messaging:dead-letters -- list [--limit N]
       npm run messaging:dead-letters -- replay <id>
       npm run messaging:dead-letters -- replay --all`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * The operator's command over dead letters, in both modes (they are rows in the database).
 * Returns the process exit code: 0 done, 1 nothing done (unknown or unreadable id), 2 bad usage.
 */
export async function runDeadLettersCommand(
  args: readonly string[],
  admin: DeadLetterAdmin,
  output: CommandOutput,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'list') {
    const limitAt = rest.indexOf('--limit');
    const limit = limitAt >= 0 ? Number(rest[limitAt + 1]) : 100;
    if (!Number.isInteger(limit) || limit < 1) {
      output.err(`--limit must be a positive integer\n${USAGE}`);
      return 2;
    }
    const deadLetters = await admin.list(limit);
    for (const letter of deadLetters) {
      output.out(
        [
          letter.id,
          new Date(letter.createdAt).toISOString(),
          letter.consumer,
          letter.type,
          `attempts=${letter.attempts}`,
          letter.reason,
        ].join('\t'),
      );
    }
    output.err(`${deadLetters.length} dead letter(s)`);
    return 0;
  }
  if (command === 'replay' && rest[0] === '--all' && rest.length === 1) {
    output.out(`replayed ${await admin.replayAll()} dead letter(s)`);
    return 0;
  }
  if (command === 'replay' && rest.length === 1 && UUID.test(rest[0])) {
    const outcome = await admin.replay(rest[0]);
    if (outcome === 'replayed') {
      output.out(`replayed ${rest[0]}: the app that has its consumer delivers it now`);
      return 0;
    }
    output.err(
      outcome === 'not_found'
        ? `no dead letter ${rest[0]}`
        : `dead letter ${rest[0]} was unreadable as it arrived: it cannot be delivered, only inspected`,
    );
    return 1;
  }
  output.err(USAGE);
  return 2;
}
