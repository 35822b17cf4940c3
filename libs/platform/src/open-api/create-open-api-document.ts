import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { FieldViolationDocument, ProblemDocument } from '#lib/http-problems';
import { BEARER_SCHEME, completeOpenApiDocument } from './complete-open-api-document.js';

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
const upperFirst = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * For operations whose @ApiOperation names no operationId: `healthLive`, and for a route with
 * several paths `healthReady`, `healthReadyAlias1`.
 */
const defaultOperationId = (controllerKey: string, methodKey: string, version?: string): string => {
  const resource = lowerFirst(controllerKey.replace(/(Http)?Controller$/, ''));
  const method = methodKey.replace(/\[(\d+)\]$/, (_match, index: string) =>
    index === '0' ? '' : `Alias${index}`,
  );
  return `${resource}${upperFirst(method)}${version && version !== '1' ? `V${version}` : ''}`;
};

/**
 * The OpenAPI document of an app, from its controllers' decorators and the guards' metadata.
 * Needs the module graph only: an app created with `preview: true` and never listening will do.
 */
export function createOpenApiDocument(app: INestApplication, title: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(
      'Commerce Platform REST API. Errors are application/problem+json (RFC 7807) with a stable `code`, ' +
        'except on the OAuth endpoints, which answer RFC 6749 error bodies. Every answer carries ' +
        '`x-request-id`; 429 and 503 carry `Retry-After`.',
    )
    .setVersion('1')
    .addServer('/', 'The host that served this document')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An access token from POST /v1/auth/token (grant_type=password or refresh_token)',
      },
      BEARER_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDocument, FieldViolationDocument],
    operationIdFactory: defaultOperationId,
  });
  return completeOpenApiDocument(document);
}
