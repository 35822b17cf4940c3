/**
 * An exponential delay instead of a hard block: `freeAttempts` attempts go through at once; from
 * then on each attempt starts a wait of `baseDelayMs`, doubling with every further attempt up to
 * `maxDelayMs`. Attempts made during a wait are refused and not counted, so a caller who waits as
 * asked always gets another try, and one who hammers gains nothing. The count is forgotten
 * `memoryMs` after the last wait ends.
 */
export interface BackoffPolicy {
  readonly freeAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly memoryMs: number;
}

export type BackoffVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** The wait started by the `attempt`-th counted attempt (from 1), in milliseconds; 0 for none. */
export function delayAfter(attempt: number, policy: BackoffPolicy): number {
  if (attempt < policy.freeAttempts) return 0;
  const doublings = Math.min(attempt - policy.freeAttempts, 52);
  return Math.max(1, Math.min(policy.baseDelayMs * 2 ** doublings, policy.maxDelayMs));
}

/** Whole seconds, rounded up and at least 1, as Retry-After carries them. */
export const toSeconds = (milliseconds: number): number =>
  Math.max(1, Math.ceil(milliseconds / 1000));
