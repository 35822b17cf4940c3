/**
 * Writes the monolith's OpenAPI document to docs/contracts/openapi.json, or with `--check` fails
 * when the committed file differs from a fresh generation. Builds the module graph in Nest's
 * preview mode: no provider runs, so nothing connects to a database or a broker, and no server
 * listens. Run from the repository root after `npm run build` (`npm run contracts:openapi`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { format, resolveConfig } from 'prettier';
import { MonolithModule } from '../../apps/monolith/src/monolith.module.js';
import { createOpenApiDocument } from '#lib/platform';

const OPENAPI_DOCUMENT_PATH = resolve('docs/contracts/openapi.json');
const TITLE = 'Commerce Platform';

const app = await NestFactory.create(MonolithModule, new FastifyAdapter(), {
  preview: true,
  logger: false,
  // Throw what went wrong instead of exiting silently (the logger is off).
  abortOnError: false,
});
app.enableVersioning({ type: VersioningType.URI });
const document = createOpenApiDocument(app, TITLE);
await app.close();
// Formatted as `npm run format` would, so the format check and this check agree.
const generated = await format(JSON.stringify(document), {
  ...(await resolveConfig(OPENAPI_DOCUMENT_PATH)),
  filepath: OPENAPI_DOCUMENT_PATH,
});

if (process.argv.includes('--check')) {
  const committed = await readFile(OPENAPI_DOCUMENT_PATH, 'utf8').catch(() => '');
  if (committed !== generated) {
    process.stderr.write(
      `${OPENAPI_DOCUMENT_PATH} is not what the code generates: run npm run contracts:openapi and commit it\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${OPENAPI_DOCUMENT_PATH} is current\n`);
} else {
  await writeFile(OPENAPI_DOCUMENT_PATH, generated);
  process.stdout.write(`wrote ${OPENAPI_DOCUMENT_PATH}\n`);
}
