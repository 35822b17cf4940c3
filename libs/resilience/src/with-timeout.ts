import { TimeoutError } from './resilience.errors.js';
import { abortReason } from './sleep.js';

export interface TimeoutOptions {
  timeoutMs: number;
  /** The caller's own signal (e.g. shutdown): aborting it aborts the operation too. */
  signal?: AbortSignal;
}

/**
 * Runs `operation` with a deadline. When the deadline passes, the signal handed to the operation is
 * aborted with a `TimeoutError` (so fetch, pg or amqp calls that take a signal stop their work) and
 * the returned promise rejects with that error at once, even if the operation ignores the signal.
 */
export async function withTimeout<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  { timeoutMs, signal: callerSignal }: TimeoutOptions,
): Promise<T> {
  if (callerSignal?.aborted) throw abortReason(callerSignal);
  const attempt = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onCallerAbort: (() => void) | undefined;

  const deadline = new Promise<never>((_resolve, reject) => {
    const giveUp = (reason: Error): void => {
      // Reject before aborting: an operation that rejects on abort must not win the race with
      // its own AbortError; the caller is owed the TimeoutError.
      reject(reason);
      attempt.abort(reason);
    };
    timer = setTimeout(() => giveUp(new TimeoutError(timeoutMs)), timeoutMs);
    onCallerAbort = () => giveUp(abortReason(callerSignal));
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  });

  try {
    // The async wrapper also turns a synchronous throw into a rejection.
    return await Promise.race([(async () => operation(attempt.signal))(), deadline]);
  } finally {
    clearTimeout(timer);
    if (onCallerAbort) callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
