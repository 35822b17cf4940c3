import { classifyDatabaseError } from '#lib/database';
import { isTransient } from '#lib/resilience';

/** TypeORM before or between connections, and ioredis giving up on a command. */
const DEPENDENCY_DOWN = new Set([
  'CannotExecuteNotConnectedError',
  'ConnectionIsNotSetError',
  'MaxRetriesPerRequestError',
]);

/**
 * A failure that says "try again later", not "this request is wrong" nor "this is a bug": a
 * dependency that is down, unreachable or too slow right now. Every HTTP error translation
 * (problem+json, the OAuth endpoints' RFC 6749 bodies) answers it with 503 and Retry-After.
 */
export function isTransientFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    // Errors marked transient (timeouts, open circuit breakers, outages) and a dependency's socket
    // refused, reset or timed out (a database or broker killed mid-connection resets, not refuses).
    isTransient(error) ||
    // Slow counts as down: statement and pool timeouts pass once the load does (ADR 0027).
    classifyDatabaseError(error) === 'unavailable' ||
    DEPENDENCY_DOWN.has(error.name) ||
    /Connection is closed|Stream isn't writeable/.test(error.message)
  );
}

/** Seconds a client should wait before retrying a transient failure. */
export const TRANSIENT_RETRY_AFTER_SECONDS = 5;
