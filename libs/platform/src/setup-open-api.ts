import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { NodeEnvironment } from '#lib/config';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  FieldViolationDocument,
  PROBLEM_CONTENT_TYPE,
  ProblemDocument,
} from './problem-details.js';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDocument' } } },
});

/**
 * Errors every operation can return, added once here instead of on every handler: the problem
 * schema for 4xx/5xx, and 401/403 wherever the operation is secured.
 */
function documentCommonErrors(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation: Operation | undefined = pathItem[method];
      if (
        !operation ||
        (operation as { 'x-error-format'?: string })['x-error-format'] === 'oauth2'
      ) {
        continue;
      }
      const responses = operation.responses;
      const secured = (operation.security?.length ?? 0) > 0;
      if (secured) {
        responses['401'] ??= problemResponse('Missing, expired or invalid access token');
        responses['403'] ??= problemResponse('The token lacks a required role');
      }
      responses['429'] ??= problemResponse('Rate limit exceeded (see Retry-After)');
      responses['500'] ??= problemResponse('Unexpected error (logged with the request id)');
    }
  }
}

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
  if (env === 'production') return undefined;
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(
      'Commerce Platform REST API. Errors are application/problem+json (RFC 7807) with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addOAuth2({
      type: 'oauth2',
      flows: { password: { tokenUrl: '/v1/auth/token', refreshUrl: '/v1/auth/token', scopes: {} } },
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDocument, FieldViolationDocument],
  });
  documentCommonErrors(document);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
  return document;
}
