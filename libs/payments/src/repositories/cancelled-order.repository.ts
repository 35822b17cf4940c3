/**
 * Orders whose cancellation arrived before their placement (events can overtake each other between
 * services); port and DI token. Their placement then opens a cancelled payment, never a charge.
 */
export abstract class CancelledOrderRepository {
  /** Idempotent: remembering an order twice is the same as once. */
  abstract remember(orderId: string, customerId: string, now: Date): Promise<void>;

  abstract isCancelled(orderId: string): Promise<boolean>;
}
