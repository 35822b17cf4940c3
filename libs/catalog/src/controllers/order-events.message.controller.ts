import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type MessageEnvelope, ORDER_EVENTS, OrderCancelledPayload } from '#lib/contracts';
import {
  DeliveryPolicy,
  EventEnvelopePipe,
  IdempotentConsumer,
  SAGA_STEP_RETRIES,
} from '#lib/messaging';
import { ReleaseStockService } from '../services/release-stock.service.js';

/** Consumer names: each records the messages it processed under its own name. */
export const CATALOG_CONSUMERS = {
  releaseOrderStock: 'catalog.release-order-stock',
} as const;

/**
 * Order events, as the catalog reacts to them: whatever cancelled an order (its customer, an
 * admin, a failed payment), its stock comes back here, as durably as the cancellation was
 * committed (orders' outbox). The release and the record of the message commit together; the
 * cache is told after the commit.
 */
@Controller()
export class OrderEventsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly releaseStock: ReleaseStockService,
  ) {}

  // A compensation: only our own database can fail it, and it is retried for hours, not seconds.
  @EventPattern(ORDER_EVENTS.cancelled)
  @DeliveryPolicy({ ...SAGA_STEP_RETRIES, consumer: CATALOG_CONSUMERS.releaseOrderStock })
  async onOrderCancelled(
    @Payload(new EventEnvelopePipe(OrderCancelledPayload))
    event: MessageEnvelope<OrderCancelledPayload>,
  ): Promise<void> {
    const outcome = await this.consumer.handle(CATALOG_CONSUMERS.releaseOrderStock, event, () =>
      this.releaseStock.putBack(event.payload.orderId),
    );
    if (!outcome.duplicate) await this.releaseStock.forgetCached(outcome.result);
  }
}
