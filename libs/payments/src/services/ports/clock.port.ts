/** The current time, replaceable in tests that need deadlines to pass; it is also the DI token. */
export abstract class Clock {
  abstract now(): Date;
}
