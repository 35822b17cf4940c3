import { HttpStatus } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import type { MessagingTransport } from '#lib/messaging';
import type { FastifyReply } from 'fastify';
import { HealthController } from './health.controller.js';
import { MessagingHealthIndicator } from './messaging.health-indicator.js';
import { OutboxBacklogHealthIndicator } from './outbox-backlog.health-indicator.js';
import { PostgresHealthIndicator } from './postgres.health-indicator.js';
import { ReadinessState } from './readiness-state.js';
import { RedisHealthIndicator } from './redis.health-indicator.js';

const up = (key: string) => () => new HealthIndicatorService().check(key).up();

async function controllerWithBroker(connected: boolean): Promise<HealthController> {
  const transport = {
    name: 'rmq',
    unavailableReason: () => (connected ? undefined : 'the rmq transport is not connected'),
  } as Partial<MessagingTransport>;
  const module = await Test.createTestingModule({
    imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false })],
    controllers: [HealthController],
    providers: [
      ReadinessState,
      { provide: PostgresHealthIndicator, useValue: { check: up('postgres') } },
      { provide: RedisHealthIndicator, useValue: { check: up('redis') } },
      { provide: OutboxBacklogHealthIndicator, useValue: { check: up('outbox_backlog') } },
      {
        provide: MessagingHealthIndicator,
        useFactory: (indicators: HealthIndicatorService) =>
          new MessagingHealthIndicator(indicators, transport as MessagingTransport),
        inject: [HealthIndicatorService],
      },
    ],
  }).compile();
  return module.get(HealthController);
}

function recordingReply(): { reply: FastifyReply; status: () => number } {
  let status: number = HttpStatus.OK;
  const reply = {
    status: (code: number) => {
      status = code;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, status: () => status };
}

describe('HealthController readiness', () => {
  it('is ready, listing the transport, while the broker connection is up', async () => {
    const controller = await controllerWithBroker(true);
    const { reply, status } = recordingReply();

    const result = await controller.ready(reply);

    expect(status()).toBe(HttpStatus.OK);
    expect(result).toMatchObject({
      status: 'ok',
      info: { messaging: { status: 'up', transport: 'rmq' } },
    });
  });

  it('answers 503 naming messaging while the broker connection is down', async () => {
    const controller = await controllerWithBroker(false);
    const { reply, status } = recordingReply();

    const result = await controller.ready(reply);

    expect(status()).toBe(HttpStatus.SERVICE_UNAVAILABLE);
    expect(result).toMatchObject({
      status: 'error',
      error: {
        messaging: {
          status: 'down',
          transport: 'rmq',
          message: 'the rmq transport is not connected',
        },
      },
    });
  });
});
