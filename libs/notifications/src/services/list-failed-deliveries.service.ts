import { Injectable } from '@nestjs/common';
import { type FailedDelivery, NotificationQueue } from './ports/notification-queue.port.js';

/** Operators' view of the dead jobs: deliveries that used up every attempt and are kept. */
@Injectable()
export class ListFailedDeliveriesService {
  constructor(private readonly queue: NotificationQueue) {}

  list(limit: number): Promise<{
    readonly total: number;
    readonly deliveries: readonly FailedDelivery[];
  }> {
    return this.queue.failedDeliveries(limit);
  }
}
