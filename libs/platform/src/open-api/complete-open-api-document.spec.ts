import { Body, Controller, Get, Module, Param, Post, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiProperty, ApiTags, type OpenAPIObject } from '@nestjs/swagger';
import { Public, Roles, SkipThrottle } from '#lib/guards';
import { ApiProblemResponses } from '#lib/http-problems';
import { completeOpenApiDocument } from './complete-open-api-document.js';
import { createOpenApiDocument } from './create-open-api-document.js';

class WidgetDto {
  @ApiProperty({ type: 'integer' })
  size!: number;

  @ApiProperty({ enum: ['red', 'blue'], nullable: true })
  colour!: 'red' | 'blue' | null;
}

@ApiTags('products')
@Controller({ path: 'widgets', version: '1' })
class WidgetsController {
  @Get(':id')
  @Public()
  @ApiProblemResponses({ 404: 'CATALOG.WIDGET_NOT_FOUND: no such widget' })
  read(@Param('id') id: string): WidgetDto {
    return { size: id.length, colour: null };
  }

  @Post()
  @Roles('admin')
  create(@Body() body: WidgetDto): WidgetDto {
    return body;
  }

  @Get()
  @SkipThrottle()
  list(): WidgetDto[] {
    return [];
  }
}

/** The document of a module holding only `controller`, built as the generator builds it. */
async function documentOf(controller: new () => unknown): Promise<OpenAPIObject> {
  @Module({ controllers: [controller] })
  class ProbeModule {}
  const app = await NestFactory.create(ProbeModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.enableVersioning({ type: VersioningType.URI });
  const document = createOpenApiDocument(app, 'probe');
  await app.close();
  return document;
}

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
const statuses = (operation: Operation | undefined): string[] =>
  Object.keys(operation?.responses ?? {}).sort();

describe('the OpenAPI document the platform completes', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    document = await documentOf(WidgetsController);
  });

  it('derives security and 401/403 from the guards decorators, not from @ApiBearerAuth', () => {
    const read = document.paths['/v1/widgets/{id}']?.get;
    const create = document.paths['/v1/widgets']?.post;
    const list = document.paths['/v1/widgets']?.get;
    expect(read?.security).toEqual([]);
    expect(create?.security).toEqual([{ bearer: [] }]);
    expect(list?.security).toEqual([{ bearer: [] }]);
    expect(statuses(read)).not.toContain('401');
    expect(statuses(create)).toEqual(expect.arrayContaining(['401', '403']));
    expect(statuses(list)).toContain('401');
    expect(statuses(list)).not.toContain('403');
  });

  it('documents 400 for input, 413/415 for a body, and 429 unless the route skips throttling', () => {
    expect(statuses(document.paths['/v1/widgets/{id}']?.get)).toEqual([
      '400',
      '404',
      '429',
      '500',
      '503',
    ]);
    expect(statuses(document.paths['/v1/widgets']?.post)).toEqual(
      expect.arrayContaining(['400', '413', '415', '429']),
    );
    expect(statuses(document.paths['/v1/widgets']?.get)).not.toContain('429');
  });

  it('answers errors as problem documents with an example per named code, and Retry-After on 429/503', () => {
    const responses = document.paths['/v1/widgets/{id}']?.get?.responses ?? {};
    const notFound = responses['404'] as { content: Record<string, { examples: object }> };
    expect(Object.keys(notFound.content)).toEqual(['application/problem+json']);
    expect(Object.keys(notFound.content['application/problem+json']?.examples ?? {})).toEqual([
      'CATALOG.WIDGET_NOT_FOUND',
    ]);
    expect(responses['429']).toMatchObject({ headers: { 'Retry-After': expect.any(Object) } });
    for (const response of Object.values(responses)) {
      expect(response).toMatchObject({ headers: { 'x-request-id': expect.any(Object) } });
    }
  });

  it('lists null in nullable enums, declares the tags in use and keeps only used schemas', () => {
    const widget = document.components?.schemas?.WidgetDto as {
      properties: Record<string, { enum?: unknown[] }>;
    };
    expect(widget.properties.colour?.enum).toEqual(['red', 'blue', null]);
    expect(document.tags?.map((tag) => tag.name)).toEqual(['products']);
    expect(Object.keys(document.components?.schemas ?? {}).sort()).toEqual([
      'FieldViolationDocument',
      'ProblemDocument',
      'WidgetDto',
    ]);
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(['bearer']);
  });

  /** One operation answering one named schema. */
  const minimal = (schema: object, tags = ['products']): OpenAPIObject => ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/a': {
        get: {
          operationId: 'a',
          tags,
          responses: {
            200: {
              description: '',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } },
            },
          },
        },
      },
    },
    components: { schemas: { A: schema } },
  });

  it.each([
    [
      'a plain number',
      minimal({ type: 'object', properties: { n: { type: 'number' } } }),
      /plain number/,
    ],
    [
      'an undeclared tag',
      minimal({ type: 'string' }, ['gadgets']),
      /without a description.*gadgets/,
    ],
  ])('refuses %s', (_name, input, message) => {
    expect(() => completeOpenApiDocument(input)).toThrow(message);
  });

  it('accepts the same operation with an integer and a declared tag', () => {
    const input = minimal({ type: 'object', properties: { n: { type: 'integer' } } });
    expect(completeOpenApiDocument(input).paths['/a']?.get?.security).toEqual([{ bearer: [] }]);
  });
});
