/**
 * The current time as a port (and DI token), so services can be tested with time that stands
 * still or jumps: expiries, deadlines, retry schedules.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** The real clock. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
