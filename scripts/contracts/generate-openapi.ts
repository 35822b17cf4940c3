/**
 * Writes the monolith's OpenAPI document to docs/contracts/openapi.json, or with `--check` fails
 * when the committed file differs from a fresh generation. Builds the module graph in Nest's
 * preview mode: no provider runs, so nothing connects to a database or a broker, and no server
 * listens. Run from the repository root after `npm run build` (`npm run contracts:openapi`).
 */
import { resolve } from 'node:path';
import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { MonolithModule } from '../../apps/monolith/src/monolith.module.js';
import { createOpenApiDocument } from '#lib/platform';
import { formattedFor, writeOrCheck } from './generated-file.js';

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
await writeOrCheck(
  OPENAPI_DOCUMENT_PATH,
  await formattedFor(OPENAPI_DOCUMENT_PATH, JSON.stringify(document)),
  'npm run contracts:openapi',
);
