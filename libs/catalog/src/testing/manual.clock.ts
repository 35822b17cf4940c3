export class ManualClock extends Clock {
  private current = new Date('2026-03-01T10:00:00.000Z');

  now(): Date {
    return new Date(this.current);
  }

  advanceSeconds(seconds: number): void {
    this.advanceMs(seconds * 1000);
  }

  advanceMs(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
import { Clock } from '#lib/kernel';
