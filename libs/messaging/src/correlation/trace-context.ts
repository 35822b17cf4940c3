import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

const tracer = trace.getTracer('commerce-platform/messaging');

/**
 * W3C trace context across a message hop. Without a tracing SDK these functions are no-ops (no
 * span is recorded, no traceparent produced), so messaging never depends on tracing being configured.
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

/**
 * Runs `work`, which a message made due but which runs later and outside that message's delivery
 * (a worker's pass), in a span of its own whose parent is the message's `traceparent` (kept with
 * the work until then), so whatever the work publishes carries that trace on. Without a
 * traceparent the span continues the active context, a new trace in a worker.
 */
export async function runInContinuedTrace<T>(
  spanName: string,
  traceparent: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const parent =
    traceparent === undefined
      ? context.active()
      : propagation.extract(ROOT_CONTEXT, { traceparent });
  const span = tracer.startSpan(spanName, { kind: SpanKind.INTERNAL }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    span.recordException(error instanceof Error ? error : message);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    throw error;
  } finally {
    span.end();
  }
}
