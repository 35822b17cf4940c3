import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

/**
 * W3C trace context across a message hop. Without a tracing SDK both functions are no-ops, so
 * messaging never depends on tracing being configured.
 */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Runs `work` as a continuation of the producer's trace. */
export function runInTraceContext<T>(traceparent: string | undefined, work: () => T): T {
  if (traceparent === undefined) return work();
  return context.with(propagation.extract(ROOT_CONTEXT, { traceparent }), work);
}
