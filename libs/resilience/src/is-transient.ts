/**
 * The mark of a failure worth retrying: the same call may succeed a moment later (an outage, a 503,
 * a timeout). Context errors opt in with `readonly transient = true` instead of inheriting from a
 * class here, so they can keep extending their own base (e.g. DomainError).
 */
export interface TransientFailure {
  readonly transient: true;
}

export type TransientErrorPredicate = (error: unknown) => boolean;

// Socket-level failures where the request may not have reached the peer, or the peer is restarting.
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * Default retry predicate: errors marked transient (timeouts included) and network failures.
 * Anything else, a card decline or a bug alike, is permanent: retrying cannot change the answer.
 */
export function isTransient(error: unknown): boolean {
  if (!isObject(error)) return false;
  if (error.transient === true) return true;
  // fetch() wraps the socket error: `TypeError: fetch failed` with the errno error as its cause.
  return (
    hasTransientNetworkCode(error) ||
    (isObject(error.cause) && hasTransientNetworkCode(error.cause))
  );
}

function hasTransientNetworkCode(error: Record<string, unknown>): boolean {
  return typeof error.code === 'string' && TRANSIENT_NETWORK_CODES.has(error.code);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
