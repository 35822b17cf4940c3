/** A uniform random number in [0, 1), like Math.random; injected so tests get exact delays. */
export type Random = () => number;

export interface BackoffOptions {
  /** Ceiling of the first retry's delay; each further retry doubles it. */
  baseDelayMs: number;
  /** No delay ever exceeds this, however many retries came before. */
  maxDelayMs: number;
}

/**
 * "Full jitter" backoff: the delay before retry `retry` (1 = the first retry) is uniform in
 * [0, min(maxDelayMs, baseDelayMs * 2^(retry - 1))]. Spreading retries over the whole range keeps
 * clients that failed together from retrying together, which is what keeps a recovering provider up
 * (see the AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export function fullJitterDelay(
  retry: number,
  { baseDelayMs, maxDelayMs }: BackoffOptions,
  random: Random = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}

/**
 * "Equal jitter" backoff: half of the exponential delay is fixed, half random, so a retry never
 * comes back almost at once (unlike full jitter) while retries failed together still spread out.
 * Suits background work retried by schedule (outbox publishes, payment attempts).
 */
export function equalJitterDelay(
  retry: number,
  { baseDelayMs, maxDelayMs }: BackoffOptions,
  random: Random = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
