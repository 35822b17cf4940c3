/** Test double: time stands still until the test moves it. */
export class ManualClock extends Clock {
  constructor(private current = new Date('2026-03-01T10:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  advanceMs(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
import { Clock } from '#lib/kernel';
