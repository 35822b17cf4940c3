import { PATTERN_EXTRAS_METADATA } from '@nestjs/microservices/constants.js';

export interface DeliveryPolicyOptions {
  /** Deliveries in all, the first included, before the event is dead-lettered. */
  readonly maxAttempts: number;
  /** Wait before the second attempt; it doubles for each further attempt. */
  readonly backoffMs: number;
  /** Upper bound of the wait between attempts. */
  readonly maxBackoffMs?: number;
  /** Names this consumer in dead letters and logs; defaults to `Class.method`. */
  readonly consumer?: string;
}

export interface ResolvedDeliveryPolicy {
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly consumer: string;
}

/**
 * For saga steps and compensations, which must never give up silently: 30 deliveries, the waits
 * doubling from 1 s to a cap of 10 min, about 3.5 hours in all before the event is dead-lettered
 * (and alerted on). The long waits are stored retries: they survive restarts (ADR 0016).
 */
export const SAGA_STEP_RETRIES = {
  maxAttempts: 30,
  backoffMs: 1_000,
  maxBackoffMs: 600_000,
} as const satisfies Omit<DeliveryPolicyOptions, 'consumer'>;

/** The key under which the policy travels in the handler's pattern extras. */
export const DELIVERY_POLICY_EXTRA = 'deliveryPolicy';

const DEFAULT_MAX_BACKOFF_MS = 30_000;

function checked(policy: DeliveryPolicyOptions, where: string): void {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new Error(`@DeliveryPolicy on ${where}: maxAttempts must be an integer >= 1`);
  }
  if (!(policy.backoffMs >= 0) || (policy.maxBackoffMs ?? 0) < 0) {
    throw new Error(`@DeliveryPolicy on ${where}: backoffMs and maxBackoffMs must be >= 0`);
  }
}

/**
 * States, beside an event handler, what happens when it fails: how many deliveries it gets, how
 * long to wait between them, and (always) dead-lettering once the budget is spent.
 *
 *   @EventPattern(ORDER_PLACED)
 *   @DeliveryPolicy({ maxAttempts: 5, backoffMs: 200 })
 *   onOrderPlaced(...)
 *
 * It travels in the pattern's extras, which Nest hands to the transport with the handler; the
 * order of the two decorators does not matter (both merge into the extras).
 */
export function DeliveryPolicy(policy: DeliveryPolicyOptions): MethodDecorator {
  return (target, key, descriptor) => {
    const where = `${target.constructor.name}.${String(key)}`;
    checked(policy, where);
    const resolved: ResolvedDeliveryPolicy = {
      maxAttempts: policy.maxAttempts,
      backoffMs: policy.backoffMs,
      maxBackoffMs: policy.maxBackoffMs ?? Math.max(DEFAULT_MAX_BACKOFF_MS, policy.backoffMs),
      consumer: policy.consumer ?? where,
    };
    const handler = descriptor.value as object;
    const extras = (Reflect.getMetadata(PATTERN_EXTRAS_METADATA, handler) ?? {}) as object;
    Reflect.defineMetadata(
      PATTERN_EXTRAS_METADATA,
      { ...extras, [DELIVERY_POLICY_EXTRA]: resolved },
      handler,
    );
    return descriptor;
  };
}

/** The policy in a handler's extras, if the handler declared one. */
export function deliveryPolicyOf(
  extras: Readonly<Record<string, unknown>> | undefined,
): ResolvedDeliveryPolicy | undefined {
  return extras?.[DELIVERY_POLICY_EXTRA] as ResolvedDeliveryPolicy | undefined;
}

/** Wait before attempt `attempt + 1`, after `attempt` failed deliveries. */
export function backoffDelayMs(policy: ResolvedDeliveryPolicy, attempt: number): number {
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));
}
