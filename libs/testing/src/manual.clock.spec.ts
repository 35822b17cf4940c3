import { MANUAL_CLOCK_START, ManualClock } from './manual.clock.js';

describe('ManualClock', () => {
  it('stands still at its start until the test moves it', () => {
    const clock = new ManualClock();

    expect(clock.now()).toEqual(MANUAL_CLOCK_START);
    expect(clock.now()).toEqual(MANUAL_CLOCK_START);
  });

  it('moves forward by milliseconds and seconds, and jumps to a set instant', () => {
    const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));

    clock.advanceMs(1_500);
    expect(clock.now().toISOString()).toBe('2026-03-01T10:00:01.500Z');
    clock.advanceSeconds(60);
    expect(clock.now().toISOString()).toBe('2026-03-01T10:01:01.500Z');
    clock.set(new Date('2027-01-01T00:00:00.000Z'));
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('hands out copies, so a caller cannot move its time', () => {
    const start = new Date('2026-03-01T10:00:00.000Z');
    const clock = new ManualClock(start);

    clock.now().setFullYear(2030);
    start.setFullYear(2031);

    expect(clock.now().toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });
});
