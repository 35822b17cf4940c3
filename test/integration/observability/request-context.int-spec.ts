import { Writable } from 'node:stream';
import {
  Body,
  type CanActivate,
  Controller,
  Get,
  Injectable,
  Logger,
  Module,
  Param,
  Post,
  UnauthorizedException,
  UseGuards,
  VersioningType,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { logConfig, serviceConfig, tracingConfig } from '#lib/config';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { Registry } from 'prom-client';
// The library's index also exports the Prometheus module, which Jest cannot load: import the parts.
import { attachObservability } from '../../../libs/observability/src/attach-observability.js';
import { HttpMetrics } from '../../../libs/observability/src/http-metrics.js';
import { loggerModuleParams } from '../../../libs/observability/src/logger-options.js';
import { requestIdAdapterOptions } from '../../../libs/observability/src/request-id.js';

type LogLine = Record<string, unknown>;

let output = '';
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    output += chunk.toString();
    done();
  },
});
const logLines = (): LogLine[] =>
  output
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as LogLine);

/** The request line is written once the response is sent, so it may trail the client's answer. */
async function requestLines(requestId: string, count = 1): Promise<LogLine[]> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const lines = logLines().filter(
      (line) => line.requestId === requestId && line.msg === 'request completed',
    );
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((wait) => setTimeout(wait, 10));
  }
}

@Injectable()
class ThingService {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext(ThingService.name);
  }

  async load(id: string): Promise<{ id: string }> {
    // A real await, so the request context has to survive an async hop.
    await new Promise((wait) => setTimeout(wait, 5));
    this.logger.info({ thingId: id }, 'thing loaded');
    return { id };
  }
}

class DenyGuard implements CanActivate {
  canActivate(): boolean {
    throw new UnauthorizedException();
  }
}

@Controller({ path: 'things', version: '1' })
class ThingsController {
  private readonly logger = new Logger(ThingsController.name);

  constructor(private readonly things: ThingService) {}

  @Get(':id')
  get(@Param('id') id: string): Promise<{ id: string }> {
    return this.things.load(id);
  }

  @Post()
  create(@Body() body: Record<string, unknown>): { created: true } {
    this.logger.log({ body }, 'creating thing');
    return { created: true };
  }

  @Get('guarded/:id')
  @UseGuards(DenyGuard)
  guarded(): never {
    throw new Error('the guard lets nobody through');
  }
}

const environment = { NODE_ENV: 'test', SERVICE_NAME: 'observability-int', LOG_LEVEL: 'info' };
const config = {
  service: serviceConfig.load(environment),
  log: logConfig.load(environment),
  tracing: tracingConfig.load(environment),
};
const registry = new Registry();

@Module({
  imports: [LoggerModule.forRoot(loggerModuleParams(config, logStream))],
  controllers: [ThingsController],
  providers: [ThingService, { provide: HttpMetrics, useValue: new HttpMetrics(registry) }],
})
class TestAppModule {}

let app: NestFastifyApplication;
let baseUrl: string;

beforeAll(async () => {
  app = await NestFactory.create<NestFastifyApplication>(
    TestAppModule,
    new FastifyAdapter({ bodyLimit: 1024, ...requestIdAdapterOptions() }),
    { bufferLogs: true },
  );
  attachObservability(app);
  app.enableVersioning({ type: VersioningType.URI });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = await app.getUrl();
});

afterAll(async () => {
  await app.close();
});

describe('request context (Nest on Fastify with the observability hooks)', () => {
  it('writes Nest start-up logs as JSON through pino', () => {
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        level: 'info',
        service: 'observability-int',
        context: 'RouterExplorer',
        msg: 'Mapped {/things/:id, GET} (version: 1) route',
      }),
    );
  });

  it('keeps a valid x-request-id, echoes it and stamps it on every log line of the request', async () => {
    const response = await fetch(`${baseUrl}/v1/things/42`, {
      headers: { 'x-request-id': 'int-request-1' },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('int-request-1');
    const [requestLine, ...others] = await requestLines('int-request-1');
    expect(others).toEqual([]);
    expect(requestLine).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/v1/things/:id',
      statusCode: 200,
      durationMs: expect.any(Number),
    });
    expect(JSON.stringify(requestLine)).not.toContain('/v1/things/42');
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        requestId: 'int-request-1',
        context: 'ThingService',
        thingId: '42',
        msg: 'thing loaded',
      }),
    );
  });

  it('carries the request id through body parsing and redacts the secrets of a logged body', async () => {
    const response = await fetch(`${baseUrl}/v1/things`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'int-request-2',
        authorization: 'Bearer int-secret-token',
      },
      body: JSON.stringify({ name: 'lamp', password: 'int-secret-password' }),
    });

    expect(response.status).toBe(201);
    await requestLines('int-request-2');
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        requestId: 'int-request-2',
        msg: 'creating thing',
        body: { name: 'lamp', password: '[Redacted]' },
      }),
    );
    expect(output).not.toContain('int-secret-password');
    expect(output).not.toContain('int-secret-token');
  });

  it('uses the trace id of a traceparent header as the request id', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';

    const response = await fetch(`${baseUrl}/v1/things/7`, {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });

    expect(response.headers.get('x-request-id')).toBe(traceId);
    expect(await requestLines(traceId)).toHaveLength(1);
  });

  it('generates a UUID when the caller sent no usable id, and logs under that same id', async () => {
    const response = await fetch(`${baseUrl}/v1/things/8`, {
      headers: { 'x-request-id': 'not allowed: spaces' },
    });

    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await requestLines(requestId)).toHaveLength(1);
    expect(logLines()).toContainEqual(
      expect.objectContaining({ requestId, msg: 'thing loaded', thingId: '8' }),
    );
  });

  it('logs and measures a request a guard rejected, under its route template', async () => {
    const response = await fetch(`${baseUrl}/v1/things/guarded/1`, {
      headers: { 'x-request-id': 'int-request-401' },
    });

    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('int-request-401');
    expect(await requestLines('int-request-401')).toEqual([
      expect.objectContaining({ route: '/v1/things/guarded/:id', statusCode: 401 }),
    ]);
    expect(await registry.metrics()).toContain(
      'http_request_duration_seconds_count{method="GET",route="/v1/things/guarded/:id",status_code="401"} 1',
    );
  });

  it('files requests that match no route under one fixed route label', async () => {
    for (const [index, path] of ['/wp-admin', '/.env', '/v2/things/1'].entries()) {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { 'x-request-id': `int-404-${index}` },
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('x-request-id')).toBe(`int-404-${index}`);
    }

    expect(await requestLines('int-404-1')).toEqual([
      expect.objectContaining({ route: 'unmatched', path: '/.env', statusCode: 404 }),
    ]);
    const metrics = await registry.metrics();
    expect(metrics).toContain(
      'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 3',
    );
    expect(metrics).not.toContain('wp-admin');
  });

  it('logs and measures a body the body limit rejected', async () => {
    const response = await fetch(`${baseUrl}/v1/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'int-request-413' },
      body: JSON.stringify({ padding: 'x'.repeat(4096) }),
    });

    expect(response.status).toBe(413);
    expect(await requestLines('int-request-413')).toEqual([
      expect.objectContaining({ route: '/v1/things', statusCode: 413 }),
    ]);
    expect(await registry.metrics()).toContain(
      'http_request_duration_seconds_count{method="POST",route="/v1/things",status_code="413"} 1',
    );
  });
});
