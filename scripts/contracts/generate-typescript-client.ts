/**
 * Writes clients/typescript/src/commerce-api.generated.ts, the types openapi-typescript derives
 * from docs/contracts/openapi.json, or with `--check` fails when the committed file differs from
 * a fresh generation (`npm run contracts:client`). The client (clients/typescript/src/) is typed
 * by it, so a change to the document that breaks the client fails the type check too.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

const DOCUMENT_PATH = resolve('docs/contracts/openapi.json');
const TYPES_PATH = resolve('clients/typescript/src/commerce-api.generated.ts');
const HEADER =
  '// Generated from docs/contracts/openapi.json by `npm run contracts:client`: do not edit.\n';

const types = astToString(await openapiTS(pathToFileURL(DOCUMENT_PATH)));
const generated = await format(`${HEADER}${types}`, {
  ...(await resolveConfig(TYPES_PATH)),
  filepath: TYPES_PATH,
});

if (process.argv.includes('--check')) {
  const committed = await readFile(TYPES_PATH, 'utf8').catch(() => '');
  if (committed !== generated) {
    process.stderr.write(
      `${TYPES_PATH} is not what the document generates: run npm run contracts:client and commit it\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${TYPES_PATH} is current\n`);
} else {
  await writeFile(TYPES_PATH, generated);
  process.stdout.write(`wrote ${TYPES_PATH}\n`);
}
