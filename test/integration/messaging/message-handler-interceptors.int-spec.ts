import { jest } from '@jest/globals';
import { Controller, Get, Logger, Module, Req } from '@nestjs/common';
import { ConfigEnvironment, ConfigModule } from '#lib/config';
import { type MessageEnvelope } from '#lib/contracts';
import { DatabaseConnection, DatabaseModule, ensureDatabaseExists } from '#lib/database';
import { DomainError } from '#lib/kernel';
import {
  connectMessagingTransport,
  CorrelationScope,
  createEnvelope,
  DeliveryPolicy,
  MessagingClient,
  MessagingModule,
  type MessagingModuleSettings,
  RpcError,
} from '#lib/messaging';
import { InterceptorsContextCreator } from '@nestjs/core/interceptors/index.js';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { SpanKind, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { FastifyRequest } from 'fastify';
import { Client } from 'pg';
import { RecordingSpanProcessor } from '../../../libs/messaging/src/testing/recording-span-processor.js';
import { TEST_DATABASE_URL, testAppEnvironment } from '../../support/test-environment.js';
import { MESSAGING_TEST_FEATURES, waitFor } from './messaging-test-app.js';
import { createTestVhost, type TestVhost } from './rabbitmq-vhost.js';

const ECHO = 'test.v1.echo-correlation';
const REFUSE = 'test.v1.refuse';
const PINGED = 'test.v1.pinged';

class RefusedError extends DomainError {
  readonly code = 'TEST.REFUSED';
  readonly kind = 'conflict';
}

interface Handled {
  readonly correlationId: string | undefined;
  readonly spanId: string | undefined;
}

/** A context with an HTTP route that asks its own message handler, as a monolith's would. */
@Controller()
class PipelineProbe {
  readonly events: Handled[] = [];

  constructor(private readonly client: MessagingClient) {}

  @Get('probe')
  async probe(@Req() request: FastifyRequest): Promise<{ requestId: string; handled: Handled }> {
    const handled = await this.client.send<Handled>(ECHO, {});
    return { requestId: request.id, handled };
  }

  @MessagePattern(ECHO)
  echo(): Handled {
    return {
      correlationId: CorrelationScope.current()?.correlationId,
      spanId: trace.getActiveSpan()?.spanContext().spanId,
    };
  }

  @MessagePattern(REFUSE)
  refuse(): never {
    throw new RefusedError('refused on purpose', { reason: 'test' });
  }

  @EventPattern(PINGED)
  @DeliveryPolicy({ maxAttempts: 1, backoffMs: 0, consumer: 'test.pipeline-probe' })
  onPinged(@Payload() _event: MessageEnvelope): void {
    this.events.push({
      correlationId: CorrelationScope.current()?.correlationId,
      spanId: trace.getActiveSpan()?.spanContext().spanId,
    });
  }
}

@Module({ controllers: [PipelineProbe] })
class ProbeModule {}

const DATABASE_URL = (() => {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_handler_interceptors`;
  return url.toString();
})();

// One SDK for the file: OpenTelemetry's API takes a global tracer provider once per process.
const recorder = new RecordingSpanProcessor();
const sdk = new NodeSDK({ spanProcessors: [recorder], instrumentations: [] });
beforeAll(() => sdk.start());

const spyOnInterceptorsBuilt = () => jest.spyOn(InterceptorsContextCreator.prototype, 'create');

async function startHybridApp(messaging: MessagingModuleSettings): Promise<NestFastifyApplication> {
  const environment = new ConfigEnvironment(testAppEnvironment({ DATABASE_URL }));
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule,
      DatabaseModule.forRoot(),
      ...MESSAGING_TEST_FEATURES.map((feature) => DatabaseModule.forFeature(feature)),
      MessagingModule.forRoot({ rpcTimeoutMs: 5_000, relay: { enabled: false }, ...messaging }),
      ProbeModule,
    ],
  })
    .overrideProvider(ConfigEnvironment)
    .useValue(environment)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  connectMessagingTransport(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  await app.startAllMicroservices();
  await app.get(DatabaseConnection).whenReady();
  return app;
}

describe.each([{ transport: 'in-process' }, { transport: 'rmq' }] as const)(
  'message handlers on the $transport transport, HTTP routes beside them',
  ({ transport }) => {
    let vhost: TestVhost | undefined;
    let app: NestFastifyApplication;
    let interceptorsBuilt: ReturnType<typeof spyOnInterceptorsBuilt> | undefined;

    const interceptorsOf = (handler: unknown): unknown[] =>
      (interceptorsBuilt?.mock.calls ?? []).flatMap((call, index) =>
        call[1] === handler ? [interceptorsBuilt?.mock.results[index]?.value] : [],
      );

    beforeAll(async () => {
      Logger.overrideLogger(false);
      await ensureDatabaseExists(DATABASE_URL);
      // Nest builds each handler's interceptors once: message handlers at connect, routes at init.
      interceptorsBuilt = spyOnInterceptorsBuilt();
      if (transport === 'rmq') vhost = await createTestVhost();
      app = await startHybridApp(
        vhost === undefined
          ? { transport: 'in-process' }
          : { transport: 'rmq', rmq: { url: vhost.url, serviceName: 'pipeline-probe' } },
      );
    });

    afterAll(async () => {
      interceptorsBuilt?.mockRestore();
      await app?.close();
      await vhost?.delete();
    });

    beforeEach(() => recorder.spans.splice(0));

    it('runs a request handler in the HTTP request’s correlation and in a span of its own', async () => {
      const response = await fetch(`${await app.getUrl()}/probe`);

      const { requestId, handled } = (await response.json()) as {
        requestId: string;
        handled: Handled;
      };
      expect(response.status).toBe(200);
      expect(handled.correlationId).toBe(requestId);
      const span = recorder.spans.find((recorded) => recorded.name === `process ${ECHO}`);
      expect(span?.kind).toBe(SpanKind.SERVER);
      expect(handled.spanId).toBe(span?.spanContext().spanId);
    });

    it('answers a domain error with its code, as an RPC error reply', async () => {
      const reply = app.get(MessagingClient).send(REFUSE, {});

      await expect(reply).rejects.toBeInstanceOf(RpcError);
      await expect(reply).rejects.toMatchObject({ code: 'TEST.REFUSED', kind: 'conflict' });
    });

    it('runs an event handler in the correlation of its envelope and in a consumer span', async () => {
      const envelope: MessageEnvelope = createEnvelope(PINGED, {}, { correlationId: 'corr-77' });

      await app.get(MessagingClient).emit(envelope);

      const probe = app.get(PipelineProbe);
      // The span ends once the handler's result is complete, a moment after the handler ran.
      await waitFor(() => recorder.spans.some((recorded) => recorded.name === `process ${PINGED}`));
      expect(probe.events[0]?.correlationId).toBe('corr-77');
      const span = recorder.spans.find((recorded) => recorded.name === `process ${PINGED}`);
      expect(span?.kind).toBe(SpanKind.CONSUMER);
      expect(probe.events[0]?.spanId).toBe(span?.spanContext().spanId);
      probe.events.splice(0);
    });

    it('builds the HTTP route with no interceptor at all, and each message handler with its two', () => {
      const prototype = PipelineProbe.prototype;

      expect(interceptorsOf(prototype.probe)).toEqual([[]]);
      for (const handler of [prototype.echo, prototype.refuse, prototype.onPinged]) {
        expect(interceptorsOf(handler)).toHaveLength(1);
        expect(interceptorsOf(handler)[0]).toHaveLength(2);
      }
    });
  },
);

afterAll(async () => {
  await sdk.shutdown();
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(
      `DROP DATABASE IF EXISTS ${new URL(DATABASE_URL).pathname.slice(1)} WITH (FORCE)`,
    );
  } finally {
    await admin.end();
  }
});
