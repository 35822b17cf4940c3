import { randomUUID } from 'node:crypto';
import { Controller, Injectable, type INestMicroservice, Logger, Module } from '@nestjs/common';
import { ConfigEnvironment, ConfigModule } from '#lib/config';
import { type MessageEnvelope, MESSAGING_ERROR_CODES } from '#lib/contracts';
import {
  DatabaseConnection,
  DatabaseModule,
  ensureDatabaseExists,
  TransactionRunner,
} from '#lib/database';
import {
  createEnvelope,
  DeliveryPolicy,
  EventEnvelopePipe,
  EventPublisher,
  IdempotentConsumer,
  MessagePayloadPipe,
  MessagingClient,
  MessagingModule,
  MessagingTransport,
  OutboxRelay,
  RpcError,
} from '#lib/messaging';
import { jest } from '@jest/globals';
import { ClientProxy, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { IsString, IsUUID } from 'class-validator';
import { firstValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL, testAppEnvironment } from '../../support/test-environment.js';
import { everyContext, MESSAGING_TEST_FEATURES, waitFor } from './messaging-test-app.js';

const USER_REGISTERED = 'identity.v1.user-registered';

class UserRegistered {
  @IsUUID()
  userId!: string;
}

class GreetRequest {
  @IsString()
  name!: string;
}

/** A context's use case: changes state and publishes its event in one transaction. */
@Injectable()
class RegisterUser {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
  ) {}

  async execute(userId: string, failAfterPublishing = false): Promise<void> {
    await this.transactions.run(async () => {
      await this.events.publish([createEnvelope(USER_REGISTERED, { userId })]);
      if (failAfterPublishing) throw new Error('the user could not be saved');
    });
  }
}

@Injectable()
class Welcomed {
  readonly userIds: string[] = [];
}

@Controller()
class WelcomeMessageHandlers {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly welcomed: Welcomed,
  ) {}

  @MessagePattern('greetings.v1.greet')
  greet(@Payload(new MessagePayloadPipe(GreetRequest)) request: GreetRequest): string {
    return `hello ${request.name}`;
  }

  @EventPattern(USER_REGISTERED)
  @DeliveryPolicy({ maxAttempts: 2, backoffMs: 10, consumer: 'notifications.welcome' })
  async onUserRegistered(
    @Payload(new EventEnvelopePipe(UserRegistered)) event: MessageEnvelope<UserRegistered>,
  ): Promise<void> {
    await this.consumer.handle('notifications.welcome', event, async () => {
      this.welcomed.userIds.push(event.payload.userId);
    });
  }
}

@Module({ controllers: [WelcomeMessageHandlers], providers: [RegisterUser, Welcomed] })
class GreetingsModule {}

describe('MessagingModule in an app', () => {
  let app: INestMicroservice;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `${url.pathname}_messaging_module`;
    await ensureDatabaseExists(url.toString());
    const environment = new ConfigEnvironment(testAppEnvironment({ DATABASE_URL: url.toString() }));

    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule,
        DatabaseModule.forRoot(),
        ...MESSAGING_TEST_FEATURES.map((feature) => DatabaseModule.forFeature(feature)),
        MessagingModule.forRootAsync({
          useFactory: () => ({ rpcTimeoutMs: 1_000, relay: { pollIntervalMs: 100 } }),
        }),
        GreetingsModule,
      ],
    })
      .overrideProvider(ConfigEnvironment)
      .useValue(environment)
      .compile();
    // What connectMessagingTransport(app) does for an HTTP app, on a microservice-only one here.
    app = moduleRef.createNestMicroservice({
      ...moduleRef.get(MessagingTransport).microserviceOptions(),
      logger: false,
    });
    await app.listen();
    await app.get(DatabaseConnection).whenReady();
    await app
      .get(DataSource)
      .query(`TRUNCATE ${everyContext('outbox')}, ${everyContext('processed_messages')}`);
  });

  afterAll(async () => {
    await app.close();
  });

  it("migrates each context's messaging tables into its own schema on start", async () => {
    const tables = await app
      .get(DataSource)
      .query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'identity' ORDER BY 1`,
      );

    expect(tables.map((table) => table.table_name)).toEqual([
      'dead_letters',
      'delivery_retries',
      'migrations',
      'outbox',
      'processed_messages',
    ]);
  });

  it('answers requests through the injected MessagingClient and the standard ClientProxy', async () => {
    const client = app.get(MessagingClient);

    expect(await client.send('greetings.v1.greet', { name: 'Ada' })).toBe('hello Ada');
    expect(
      await firstValueFrom(app.get(ClientProxy).send('greetings.v1.greet', { name: 'Bo' })),
    ).toBe('hello Bo');
    await expect(client.send('greetings.v1.greet', { name: 1 })).rejects.toMatchObject({
      code: MESSAGING_ERROR_CODES.VALIDATION_FAILED,
    });
  });

  it('relays a use case event committed through EventPublisher to its subscriber', async () => {
    const userId = randomUUID();

    await app.get(RegisterUser).execute(userId);

    await waitFor(() => app.get(Welcomed).userIds.includes(userId));
  });

  it("hands a committed event over to the app's own relay, leased to it from the insert (ADR 0063)", async () => {
    const relay = app.get(OutboxRelay);
    const reserve = jest.spyOn(relay, 'reservePublishSlots');
    try {
      const userId = randomUUID();

      await app.get(RegisterUser).execute(userId);
      await waitFor(() => app.get(Welcomed).userIds.includes(userId));

      expect(reserve).toHaveBeenCalledWith(1);
      const slots = reserve.mock.results[0]?.value;
      expect(slots).toEqual(expect.objectContaining({ leaseMs: expect.any(Number) }));
      const [row] = await app.get(DataSource).query<{ attempts: number; published: boolean }[]>(
        `SELECT attempts, published_at IS NOT NULL AS published FROM "identity".outbox
            WHERE payload->>'userId' = $1`,
        [userId],
      );
      expect(row).toEqual({ attempts: 1, published: true });
    } finally {
      reserve.mockRestore();
    }
  });

  it('publishes nothing for a use case that rolls back', async () => {
    const userId = randomUUID();

    await expect(app.get(RegisterUser).execute(userId, true)).rejects.toThrow('could not be saved');
    const flushed = randomUUID();
    await app.get(RegisterUser).execute(flushed);
    await waitFor(() => app.get(Welcomed).userIds.includes(flushed));

    expect(app.get(Welcomed).userIds).not.toContain(userId);
  });

  it('gives callers an RpcError they can branch on', async () => {
    const error = await app
      .get(MessagingClient)
      .send('greetings.v1.unknown', {})
      .catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: MESSAGING_ERROR_CODES.NO_HANDLER });
  });
});
