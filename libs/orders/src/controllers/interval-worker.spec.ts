import { jest } from '@jest/globals';
import { IntervalWorker } from './interval-worker.js';

/** A worker whose rounds the test ends by hand. */
class ScriptedWorker extends IntervalWorker {
  protected readonly failure = 'scripted round failed';
  started = 0;
  private finish?: (outcome: Error | undefined) => void;

  constructor(protected readonly intervalMs: number) {
    super();
  }

  protected round(): Promise<void> {
    this.started += 1;
    return new Promise((resolve, reject) => {
      this.finish = (outcome) => (outcome ? reject(outcome) : resolve());
    });
  }

  end(outcome?: Error): void {
    this.finish?.(outcome);
  }

  get warnings(): jest.SpiedFunction<(typeof this.logger)['warn']> {
    return jest.spyOn(this.logger, 'warn').mockImplementation(() => undefined);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('IntervalWorker', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('starts a round per interval, never a second one while the first runs', async () => {
    const worker = new ScriptedWorker(1_000);
    worker.onApplicationBootstrap();

    jest.advanceTimersByTime(1_000);
    jest.advanceTimersByTime(1_000);
    expect(worker.started).toBe(1);

    worker.end();
    await settle();
    jest.advanceTimersByTime(1_000);
    expect(worker.started).toBe(2);
    worker.end();
    await worker.onApplicationShutdown();
  });

  it('logs a failed round and tries again at the next interval', async () => {
    const worker = new ScriptedWorker(1_000);
    const warnings = worker.warnings;
    worker.onApplicationBootstrap();

    jest.advanceTimersByTime(1_000);
    worker.end(new Error('database down'));
    await settle();
    expect(warnings).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.any(Error) }),
      'scripted round failed',
    );
    jest.advanceTimersByTime(1_000);
    expect(worker.started).toBe(2);
    worker.end();
    await worker.onApplicationShutdown();
  });

  it('waits at shutdown for the round under way, and starts none after', async () => {
    const worker = new ScriptedWorker(1_000);
    worker.onApplicationBootstrap();
    jest.advanceTimersByTime(1_000);

    let stopped = false;
    const shutdown = worker.onApplicationShutdown().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    worker.end();
    await shutdown;
    jest.advanceTimersByTime(5_000);
    expect(worker.started).toBe(1);
  });

  it('never runs with an interval of 0', () => {
    const worker = new ScriptedWorker(0);
    worker.onApplicationBootstrap();
    jest.advanceTimersByTime(60_000);
    expect(worker.started).toBe(0);
  });
});
