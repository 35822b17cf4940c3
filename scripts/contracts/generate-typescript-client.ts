/**
 * Writes clients/typescript/src/commerce-api.generated.ts, the types openapi-typescript derives
 * from docs/contracts/openapi.json, or with `--check` fails when the committed file differs from
 * a fresh generation (`npm run contracts:client`). The client (clients/typescript/src/) is typed
 * by it, so a change to the document that breaks the client fails the type check too.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { formattedFor, writeOrCheck } from './generated-file.js';

const DOCUMENT_PATH = resolve('docs/contracts/openapi.json');
const TYPES_PATH = resolve('clients/typescript/src/commerce-api.generated.ts');
const HEADER =
  '// Generated from docs/contracts/openapi.json by `npm run contracts:client`: do not edit.\n';

const types = astToString(await openapiTS(pathToFileURL(DOCUMENT_PATH)));
await writeOrCheck(
  TYPES_PATH,
  await formattedFor(TYPES_PATH, `${HEADER}${types}`),
  'npm run contracts:client',
);
