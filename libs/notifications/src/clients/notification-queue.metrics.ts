import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { JobCounts, Queue } from 'bull';
import { Gauge } from 'prom-client';
import {
  NOTIFICATIONS_OPTIONS,
  type ResolvedNotificationsOptions,
} from '../notifications-options.js';
import { NOTIFICATION_QUEUE } from './notification-queue.js';
import { withTimeout } from './with-timeout.js';

export const NOTIFICATION_QUEUE_JOBS_METRIC = 'notification_queue_jobs';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'paused'] as const;
type JobState = (typeof JOB_STATES)[number];

/** A scrape must answer even when Redis does not. */
const COUNT_TIMEOUT_MS = 1_000;

/**
 * `notification_queue_jobs{state}`: the queue's backlog (waiting, delayed), work in progress
 * (active) and dead jobs (failed), read from Redis at each scrape, so it is never stale and costs
 * nothing between scrapes. Every replica reports the same shared queue: aggregate with max, not sum.
 */
@Injectable()
export class NotificationQueueMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(NotificationQueueMetrics.name);
  private gauge?: Gauge<'state'>;

  constructor(
    @InjectQueue(NOTIFICATION_QUEUE) private readonly queue: Queue,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: ResolvedNotificationsOptions,
  ) {}

  onModuleInit(): void {
    const registry = this.options.metricsRegistry;
    // Another app in this process (tests) may have registered it, bound to its own queue.
    registry.removeSingleMetric(NOTIFICATION_QUEUE_JOBS_METRIC);
    const queue = this.queue;
    const logger = this.logger;
    this.gauge = new Gauge({
      name: NOTIFICATION_QUEUE_JOBS_METRIC,
      help: 'Jobs in the notification delivery queue, by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        let counts: JobCounts;
        try {
          counts = await withTimeout(queue.getJobCounts(), COUNT_TIMEOUT_MS, 'counting jobs');
        } catch (error) {
          // No series rather than stale ones: an absent metric is what alerts should catch.
          this.reset();
          logger.warn(`notification queue counts unavailable: ${(error as Error).message}`);
          return;
        }
        // Bull also reports `paused`, which its typings leave out.
        const byState = counts as Partial<Record<JobState, number>>;
        for (const state of JOB_STATES) this.set({ state }, byState[state] ?? 0);
      },
    });
  }

  onModuleDestroy(): void {
    if (this.gauge) this.options.metricsRegistry.removeSingleMetric(NOTIFICATION_QUEUE_JOBS_METRIC);
  }
}
