import { Controller, Get, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, SkipThrottle } from '#lib/guards';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';

/**
 * Prometheus scrapes `/metrics` on every replica: unversioned (the app uses URI versioning), open
 * to the scraper without a token, never rate limited, and kept out of the public API document.
 * Network policy, not authentication, keeps it internal.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController extends PrometheusController {
  @Get()
  override async index(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return super.index(reply);
  }
}
