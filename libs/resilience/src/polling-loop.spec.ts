import { PollingLoop } from './polling-loop.js';

const HOUR = 3_600_000;
const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe('PollingLoop', () => {
  it('polls again at once while a pass says more is waiting, then sleeps until woken', async () => {
    let passes = 0;
    const loop = new PollingLoop({ poll: async () => ++passes < 3 }, HOUR, () => undefined);

    loop.start();
    await until(() => passes === 3);
    loop.wake();
    await until(() => passes === 4);
    await loop.stop();

    expect(passes).toBe(4);
    expect(loop.isRunning).toBe(false);
  });

  it('lets the pass in progress end on stop, then finishes', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const loop = new PollingLoop(
      {
        poll: async () => {
          order.push('pass started');
          await new Promise<void>((resolve) => (release = resolve));
          order.push('pass ended');
          return true;
        },
        finish: async () => {
          order.push('finished');
        },
      },
      HOUR,
      () => undefined,
    );
    loop.start();
    await until(() => order.length === 1);

    const stopping = loop.stop();
    expect(loop.isStopping).toBe(true);
    release();
    await stopping;

    expect(order).toEqual(['pass started', 'pass ended', 'finished']);
  });

  it('never polls when stopped while still waiting to be ready', async () => {
    let polled = false;
    const loop = new PollingLoop(
      { ready: () => new Promise<void>(() => undefined), poll: async () => (polled = true) },
      HOUR,
      () => undefined,
    );

    loop.start();
    await loop.stop();

    expect(polled).toBe(false);
  });

  it('hands a pass that throws to onCrash and ends the loop', async () => {
    const crashes: unknown[] = [];
    const loop = new PollingLoop(
      {
        poll: async () => {
          throw new Error('boom');
        },
      },
      HOUR,
      (error) => crashes.push(error),
    );

    loop.start();
    await until(() => crashes.length === 1);
    await loop.stop();

    expect((crashes[0] as Error).message).toBe('boom');
  });
});
