export const RESILIENCE_ERROR_CODES = {
  TIMEOUT: 'RESILIENCE.TIMEOUT',
  CIRCUIT_OPEN: 'RESILIENCE.CIRCUIT_OPEN',
  RETRIES_EXHAUSTED: 'RESILIENCE.RETRIES_EXHAUSTED',
} as const;

export type ResilienceErrorCode =
  (typeof RESILIENCE_ERROR_CODES)[keyof typeof RESILIENCE_ERROR_CODES];

/**
 * Base of the failures this library raises. Each one means "the callee was slow, down or still
 * failing; try again later", so all are marked transient: a message consumer that sees one can
 * schedule a redelivery instead of recording a final failure.
 */
export abstract class ResilienceError extends Error {
  abstract readonly code: ResilienceErrorCode;
  readonly transient = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One attempt ran out of time; its AbortSignal was aborted with this error as the reason. */
export class TimeoutError extends ResilienceError {
  readonly code = RESILIENCE_ERROR_CODES.TIMEOUT;

  constructor(readonly timeoutMs: number) {
    super(`the call did not complete within ${timeoutMs} ms`);
  }
}

/** The breaker is open: the call was refused without reaching the callee. */
export class CircuitOpenError extends ResilienceError {
  readonly code = RESILIENCE_ERROR_CODES.CIRCUIT_OPEN;

  constructor(
    readonly breaker: string,
    /** At most this long until the breaker lets a trial call through again. */
    readonly retryAfterMs: number,
  ) {
    super(`circuit breaker "${breaker}" is open; the call was not attempted`);
  }
}

/** Every attempt failed transiently; `cause` is the last attempt's error. */
export class RetriesExhaustedError extends ResilienceError {
  readonly code = RESILIENCE_ERROR_CODES.RETRIES_EXHAUSTED;

  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`gave up after ${attempts} attempt(s): ${describe(cause)}`, { cause });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
