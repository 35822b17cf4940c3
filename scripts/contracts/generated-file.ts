import { readFile, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';

/** `text` formatted as `npm run format` would leave the file at `path`. */
export async function formattedFor(path: string, text: string): Promise<string> {
  return format(text, { ...(await resolveConfig(path)), filepath: path });
}

/**
 * Writes a generated file, or with `--check` on the command line fails when the committed file
 * differs from `generated`, naming the command that regenerates it.
 */
export async function writeOrCheck(
  path: string,
  generated: string,
  command: string,
): Promise<void> {
  if (!process.argv.includes('--check')) {
    await writeFile(path, generated);
    process.stdout.write(`wrote ${path}\n`);
    return;
  }
  const committed = await readFile(path, 'utf8').catch(() => '');
  if (committed !== generated) {
    process.stderr.write(`${path} is not what the code generates: run ${command} and commit it\n`);
    process.exit(1);
  }
  process.stdout.write(`${path} is current\n`);
}
