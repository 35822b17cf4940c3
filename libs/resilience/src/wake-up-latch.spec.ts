import { WakeUpLatch } from './wake-up-latch.js';

describe('WakeUpLatch', () => {
  it('ends a wait early when signalled', async () => {
    const latch = new WakeUpLatch();
    const started = Date.now();
    const waiting = latch.wait(10_000);
    latch.signal();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps a signal that came while nobody waited for the next wait', async () => {
    const latch = new WakeUpLatch();
    latch.signal();
    const started = Date.now();
    await latch.wait(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends a wait by itself after the timeout', async () => {
    await expect(new WakeUpLatch().wait(20)).resolves.toBeUndefined();
  });
});
