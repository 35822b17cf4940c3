/** The current time, as a port so tests can set it. */
export abstract class Clock {
  abstract now(): Date;
}
