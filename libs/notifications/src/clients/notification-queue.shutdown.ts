import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { NOTIFICATION_QUEUE } from './notification-queue.js';

type ClosingQueue = Queue & { onApplicationShutdown?: () => Promise<void> };

/**
 * How the queue closes at shutdown, in place of @nestjs/bull's plain `close()`. To wait for its
 * active jobs Bull forces its blocking connection to reconnect; with Redis unreachable ioredis
 * refuses ("already connecting") in a promise Bull leaves unhandled for a while, and the shutdown
 * fails. Without Redis an active job cannot record its end anyway (Bull's stalled-job check hands
 * it out again), so then the queue closes without waiting for it.
 */
@Injectable()
export class NotificationQueueShutdown implements OnModuleInit {
  constructor(@InjectQueue(NOTIFICATION_QUEUE) private readonly queue: ClosingQueue) {}

  onModuleInit(): void {
    const queue = this.queue;
    queue.onApplicationShutdown = () => queue.close(queue.client.status !== 'ready');
  }
}
