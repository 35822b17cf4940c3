import { randomUUID } from 'node:crypto';
import { CorrelationScope } from './correlation-scope.js';
import type { MessageMetadata } from './message-metadata.js';
import { runInTraceContext } from './trace-context.js';

/**
 * Runs a message handler in the correlation and trace of the message that caused it, so what the
 * handler logs, sends and publishes carries them on. Every transport's server calls it.
 */
export function runInMessageScope<T>(
  metadata: Partial<MessageMetadata>,
  causationId: string | undefined,
  work: () => T,
): T {
  const correlation = {
    correlationId: metadata.correlationId ?? randomUUID(),
    ...(causationId !== undefined && { causationId }),
  };
  return CorrelationScope.run(correlation, () => runInTraceContext(metadata.traceparent, work));
}
