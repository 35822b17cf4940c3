export type LoginAttemptVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Counts login attempts per account and per client address, against password guessing; it is also
 * the DI token. Every attempt counts, successful or not: a correct password is no reason to let a
 * guesser continue, and a real user logs in rarely (refresh tokens keep sessions alive).
 */
export abstract class LoginAttemptLimiter {
  /** `account` is the normalised username; `clientIp` the caller's address. */
  abstract registerAttempt(attempt: {
    account: string;
    clientIp: string;
  }): Promise<LoginAttemptVerdict>;
}
