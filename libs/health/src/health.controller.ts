import { Controller, Get, HttpStatus, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public, SkipThrottle } from '#lib/guards';
import type { FastifyReply } from 'fastify';
import { PostgresHealthIndicator } from './postgres.health-indicator.js';
import { ReadinessState } from './readiness-state.js';
import { RedisHealthIndicator } from './redis.health-indicator.js';

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
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiResponse({ status: 200, description: 'alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: dependencies answer and the process is not shutting down' })
  @ApiResponse({ status: 200, description: 'ready' })
  @ApiResponse({ status: 503, description: 'not ready; the failing components are under `error`' })
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthCheckResult | { status: 'shutting_down' }> {
    if (this.readiness.isShuttingDown) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'shutting_down' };
    }
    try {
      return await this.health.check([() => this.postgres.check(), () => this.redis.check()]);
    } catch (error) {
      // Terminus throws its result wrapped in a 503; probes and operators want that body as is.
      const result = (error as { getResponse?: () => unknown }).getResponse?.();
      if (!result) throw error;
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return result as HealthCheckResult;
    }
  }
}
