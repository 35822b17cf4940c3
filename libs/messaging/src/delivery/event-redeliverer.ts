import type { ClaimedDeliveryRetry } from './delivery-retry.store.js';
import type { DeliveryOutcome } from './event-dispatcher.js';

/**
 * The server side of a transport, as the retry worker sees it: delivers a stored retry to its
 * consumer through the same handler pipeline (pipes, interceptors, processing hooks) as a message
 * that just arrived.
 */
export interface EventRedeliverer {
  redeliver(retry: ClaimedDeliveryRetry): Promise<DeliveryOutcome>;
}
