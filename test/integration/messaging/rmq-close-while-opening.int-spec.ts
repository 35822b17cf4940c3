import { Controller, type INestMicroservice, Logger, type LoggerService } from '@nestjs/common';
import { MessagePattern, type ClientRMQ, type ServerRMQ } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { RmqTransport, TypeormDeadLetterStore, TypeormDeliveryRetryStore } from '#lib/messaging';
import type { DataSource } from 'typeorm';
import {
  createMessagingDataSource,
  MESSAGING_TEST_SCHEMAS,
  waitFor,
} from './messaging-test-app.js';
import { createTestVhost, type TestVhost } from './rabbitmq-vhost.js';

@Controller()
class CatalogHandlers {
  @MessagePattern('catalog.v1.price')
  price(): object {
    return { total: 1 };
  }
}

/** What the transport logged, by level: a close during start-up must not look like a failure. */
class RecordingLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  log = (message: unknown) => this.record('log', message);
  error = (message: unknown, ...rest: unknown[]) => this.record('error', [message, ...rest]);
  warn = (message: unknown) => this.record('warn', message);
  debug = (message: unknown) => this.record('debug', message);
  verbose = (message: unknown) => this.record('verbose', message);

  at(level: string): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }

  private record(level: string, message: unknown): void {
    this.lines.push({ level, message: typeof message === 'string' ? message : String(message) });
  }
}

/**
 * SIGTERM during start-up (split mode): the transport closes while amqp-connection-manager is
 * still opening its channel. The broker's owed replies end as "Channel ended", which the channel
 * used to re-emit as an 'error' event with no listener: the process crashed with exit code 1.
 */
describe('RmqTransport closed while its channel is still opening', () => {
  let dataSource: DataSource;
  let vhost: TestVhost;
  let logger: RecordingLogger;
  const unhandled: unknown[] = [];
  const recordUnhandled = (reason: unknown) => unhandled.push(reason);

  const newTransport = (): RmqTransport =>
    new RmqTransport(
      new TypeormDeadLetterStore(dataSource, MESSAGING_TEST_SCHEMAS),
      new TypeormDeliveryRetryStore(dataSource, MESSAGING_TEST_SCHEMAS),
      { url: vhost.url, serviceName: 'catalog', prefetch: 8, drainTimeoutMs: 5_000 },
    );

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('rmq');
    vhost = await createTestVhost();
  });

  beforeEach(() => {
    logger = new RecordingLogger();
    Logger.overrideLogger(logger);
    unhandled.length = 0;
    process.on('unhandledRejection', recordUnhandled);
    process.on('uncaughtException', recordUnhandled);
  });

  afterEach(() => {
    process.off('unhandledRejection', recordUnhandled);
    process.off('uncaughtException', recordUnhandled);
    Logger.overrideLogger(false);
  });

  afterAll(async () => {
    await vhost.delete();
    await dataSource.destroy();
  });

  /** Whether the connection manager behind a server or client is still connected. */
  const stillConnected = (side: ServerRMQ | ClientRMQ, field: 'server' | 'client'): boolean =>
    (side as unknown as Record<typeof field, { isConnected(): boolean } | null>)[
      field
    ]?.isConnected() ?? false;

  it.each([1, 2, 3])(
    'the server closes cleanly, logging the interrupted start as information (run %i)',
    async () => {
      const transport = newTransport();
      const moduleRef = await Test.createTestingModule({
        controllers: [CatalogHandlers],
      }).compile();
      const app: INestMicroservice = moduleRef.createNestMicroservice({
        ...transport.microserviceOptions(),
        logger,
      });
      let closed: Promise<void> | undefined;
      // Nest opens the channel on this event, before our listener: the close finds it opening.
      transport.server.on('connect', () => {
        closed ??= app.close();
      });

      // Never resolves: the channel it waits for is closed before it is ready.
      void app.listen();
      await waitFor(() => closed !== undefined, 20_000);
      await closed;
      await waitFor(() => logger.at('log').some((line) => line.includes('Channel ended')), 20_000);

      expect(logger.at('error')).toEqual([]);
      expect(unhandled).toEqual([]);
      expect(stillConnected(transport.server, 'server')).toBe(false);
    },
  );

  it('a client closed while its channel opens closes cleanly too', async () => {
    const transport = newTransport();
    const client = transport.createClient() as unknown as ClientRMQ;
    let closed: Promise<void> | undefined;
    // Nest's own 'connect' listener, which opens the channel, runs after this one: close next.
    client.on('connect', () =>
      queueMicrotask(() => {
        closed ??= client.close();
      }),
    );

    // Settles or not as Nest decides; what matters is that nothing escapes unhandled.
    client.connect().catch(() => undefined);
    await waitFor(() => closed !== undefined, 20_000);
    await closed;
    await waitFor(() => logger.at('log').some((line) => line.includes('closed while')), 20_000);

    expect(logger.at('error')).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(stillConnected(client, 'client')).toBe(false);
  });
});
