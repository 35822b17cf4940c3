import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { NodeEnvironment } from '#lib/config';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { createOpenApiDocument } from './open-api/create-open-api-document.js';

/** Whether /docs is served: everywhere but production (see setupOpenApi). */
export const servesDocs = (env: NodeEnvironment): boolean => env !== 'production';

/**
 * Serves the OpenAPI UI at /docs and the document at /docs/openapi.json (and .yaml) in
 * development and test only. In production neither is served: the document maps every route,
 * admin ones included, for whoever asks, and nobody browses docs on a production replica.
 * Tooling takes the document from any non-production instance of the same version (ADR 0027).
 * Returns the document it served, or undefined when it served none.
 */
export function setupOpenApi(
  app: NestFastifyApplication,
  title: string,
  env: NodeEnvironment,
): OpenAPIObject | undefined {
  if (!servesDocs(env)) return undefined;
  const document = createOpenApiDocument(app, title);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
  return document;
}
