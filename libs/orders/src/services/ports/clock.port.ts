/** The current time, replaceable in tests that need expiry to happen; it is also the DI token. */
export abstract class Clock {
  abstract now(): Date;
}
