import { AsyncContextSlot } from '#lib/async-context';
import { REQUEST_ID_LOG_KEY } from './request-id.js';

const requestIdSlot = new AsyncContextSlot<string>('log request id');

/**
 * Runs `work` so that every line logged while it runs, however deep and through whichever logger,
 * carries `requestId`: pino's mixin (`requestLogFields`) reads it from the async context. Cheaper
 * than nestjs-pino's `runInContext`, which built a child logger and ran its own storage (ADR 0053).
 */
export function runInRequestLogContext<T>(requestId: string, work: () => T): T {
  return requestIdSlot.run(requestId, work);
}

/** The fields the running request adds to a log line: its id, or nothing outside a request. */
export function requestLogFields(): Record<string, string> {
  const requestId = requestIdSlot.get();
  // A new object every time: pino merges the line's own fields into what the mixin returns.
  return requestId === undefined ? {} : { [REQUEST_ID_LOG_KEY]: requestId };
}
