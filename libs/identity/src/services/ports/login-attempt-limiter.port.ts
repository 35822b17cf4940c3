export type LoginAttemptVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface LoginAttempt {
  /** The normalised username. */
  readonly account: string;
  /** The caller's address: the source the attempt came from. */
  readonly clientIp: string;
}

/**
 * Slows password guessing without giving strangers a way to lock an account out: attempts are
 * counted per source and per (account, source), and past a budget each further attempt must wait
 * a delay that doubles every time (Retry-After), instead of meeting a hard block. An account is
 * never limited as a whole, so its owner still gets in from another client while someone guesses
 * elsewhere. An attempt counts when admitted (so parallel guesses cannot slip past the count);
 * an attempt the source's limit refused is not counted against the account. It is also the DI token.
 */
export abstract class LoginAttemptLimiter {
  /** Before the password is checked: may this attempt go ahead? Counts it if so. */
  abstract registerAttempt(attempt: LoginAttempt): Promise<LoginAttemptVerdict>;

  /**
   * After the right password: forgets the (account, source) count, so the owner's typos are not
   * held against them. The source's count stays: one valid account must not reset a guesser.
   */
  abstract registerSuccess(attempt: LoginAttempt): Promise<void>;
}
