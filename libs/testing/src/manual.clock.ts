import { Clock } from '#lib/kernel';

/** The instant a ManualClock shows until a test moves it, unless the test gives another. */
export const MANUAL_CLOCK_START = new Date('2026-01-01T00:00:00.000Z');

/** Test double of the injected `Clock`: time stands still until the test moves it. */
export class ManualClock extends Clock {
  private current: Date;

  constructor(start: Date = MANUAL_CLOCK_START) {
    super();
    this.current = new Date(start.getTime());
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  advanceMs(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  advanceSeconds(seconds: number): void {
    this.advanceMs(seconds * 1000);
  }

  set(date: Date): void {
    this.current = new Date(date.getTime());
  }
}
