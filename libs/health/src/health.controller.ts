import { Controller, Get, HttpStatus, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { Public, SkipThrottle } from '#lib/guards';
import type { FastifyReply } from 'fastify';
import { MessagingHealthIndicator } from './messaging.health-indicator.js';
import { OutboxBacklogHealthIndicator } from './outbox-backlog.health-indicator.js';
import { PostgresHealthIndicator } from './postgres.health-indicator.js';
import { ReadinessState } from './readiness-state.js';
import { RedisHealthIndicator } from './redis.health-indicator.js';

const COMPONENTS_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Per component: `status` (up or down) and what the check found',
  additionalProperties: { type: 'object', additionalProperties: true },
};

/** Terminus's check result, or `shutting_down` while the process drains. */
const HEALTH_RESULT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: COMPONENTS_SCHEMA,
    error: COMPONENTS_SCHEMA,
    details: COMPONENTS_SCHEMA,
  },
};

/** Kubernetes probes. Liveness never touches dependencies: a down database must not restart pods. */
@ApiTags('health')
@Public()
@SkipThrottle()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessState,
    private readonly postgres: PostgresHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly messaging: MessagingHealthIndicator,
    private readonly outboxBacklog: OutboxBacklogHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiResponse({
    status: 200,
    description: 'alive',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
    },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** `/health` is readiness too: probes and load balancers are often configured on it. */
  @Get(['ready', ''])
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: dependencies answer and the process is not shutting down',
    description: '`/health` and `/health/ready` are the same check: Postgres, Redis, messaging.',
  })
  @ApiResponse({ status: 200, description: 'ready', schema: HEALTH_RESULT_SCHEMA })
  @ApiResponse({
    status: 503,
    description: 'not ready; the failing components are under `error`',
    schema: HEALTH_RESULT_SCHEMA,
  })
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthCheckResult | { status: 'shutting_down' }> {
    if (this.readiness.isShuttingDown) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'shutting_down' };
    }
    return this.run(reply, [
      () => this.postgres.check(),
      () => this.redis.check(),
      () => this.messaging.check(),
    ]);
  }

  /**
   * Not a probe: a backlog is shared by every replica, and taking them out of rotation would not
   * drain it.
   */
  @Get('backlog')
  @HealthCheck()
  @ApiOperation({
    summary: 'Messaging backlog: whether committed events are being published',
    description:
      'For alerting and operators, not for Kubernetes probes. 503 when the oldest unpublished ' +
      'outbox message has waited longer than the threshold (HEALTH_OUTBOX_MAX_AGE_SECONDS) or ' +
      'the backlog cannot be read; `outbox_backlog` gives the pending count, the oldest age and ' +
      'the number of dead letters. Readiness ignores it on purpose: every replica shares the ' +
      'outbox, so failing readiness would take them all out of rotation without publishing any ' +
      'faster.',
  })
  @ApiResponse({ status: 200, description: 'the relay keeps up', schema: HEALTH_RESULT_SCHEMA })
  @ApiResponse({
    status: 503,
    description: 'events are late, or the backlog is unknown; details under `error`',
    schema: HEALTH_RESULT_SCHEMA,
  })
  async backlog(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.run(reply, [() => this.outboxBacklog.check()]);
  }

  private async run(
    reply: FastifyReply,
    indicators: HealthIndicatorFunction[],
  ): Promise<HealthCheckResult> {
    try {
      return await this.health.check(indicators);
    } catch (error) {
      // Terminus throws its result wrapped in a 503; probes and operators want that body as is.
      const result = (error as { getResponse?: () => unknown }).getResponse?.();
      if (!result) throw error;
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return result as HealthCheckResult;
    }
  }
}
