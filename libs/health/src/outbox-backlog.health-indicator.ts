import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseConnection } from '#lib/database';
import { type MessagingBacklog, MessagingBacklogReader } from '#lib/messaging';
import {
  DEFAULT_OUTBOX_MAX_AGE_SECONDS,
  HEALTH_MODULE_OPTIONS,
  type HealthModuleOptions,
} from './health-module.options.js';

/**
 * Whether the outbox relay keeps up: down when the oldest unpublished event has waited longer than
 * the threshold (events are then late for every consumer), with the backlog in the details. For
 * alerting and operators only, never for readiness: every replica reads the same shared table, so
 * a backlog would take them all out of rotation at once, and publishing goes no faster for it.
 */
@Injectable()
export class OutboxBacklogHealthIndicator {
  private readonly maxAgeSeconds: number;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly backlog: MessagingBacklogReader,
    @Optional() private readonly connection?: DatabaseConnection,
    @Optional() @Inject(HEALTH_MODULE_OPTIONS) options?: HealthModuleOptions,
  ) {
    this.maxAgeSeconds = options?.outboxMaxAgeSeconds ?? DEFAULT_OUTBOX_MAX_AGE_SECONDS;
  }

  async check() {
    const indicator = this.indicators.check('outbox_backlog');
    // Unknown is not healthy: report why, rather than a backlog figure we do not have.
    if (this.connection && !this.connection.isReady) {
      return indicator.down({ message: 'unknown: the database is not connected' });
    }
    let backlog: MessagingBacklog;
    try {
      backlog = await this.backlog.read();
    } catch (error) {
      return indicator.down({ message: `unknown: ${(error as Error).message}` });
    }
    const details = {
      pendingMessages: backlog.pendingOutboxMessages,
      oldestPendingAgeSeconds: Math.round(backlog.oldestPendingAgeSeconds),
      maxAgeSeconds: this.maxAgeSeconds,
      deadLetters: backlog.deadLetters,
    };
    if (backlog.oldestPendingAgeSeconds > this.maxAgeSeconds) {
      return indicator.down({
        ...details,
        message: `the oldest unpublished outbox message is older than ${this.maxAgeSeconds} s`,
      });
    }
    return indicator.up(details);
  }
}
