import { WakeUpLatch } from './wake-up-latch.js';

/** What a background poller does; the loop around it is PollingLoop's. */
export interface PollingSteps {
  /** Resolves once polling can begin (the database connected...); stopping ends the wait. */
  readonly ready?: () => Promise<void>;
  /** One pass. Resolves true when more work may be waiting, to poll again at once. */
  readonly poll: () => Promise<boolean>;
  /** Runs once polling has ended, before `stop()` resolves. */
  readonly finish?: () => Promise<void>;
}

/**
 * The start/stop life of a background poller: wait until ready, poll, sleep until the next
 * interval or a `wake()`, and on `stop()` let the pass in progress end, then finish. `poll` is
 * expected to handle its own errors; anything it throws ends the loop and goes to `onCrash`.
 */
export class PollingLoop {
  private readonly wakeUp = new WakeUpLatch();
  private running?: Promise<void>;
  private stopping = false;
  private stopRequested: () => void = () => undefined;

  constructor(
    private readonly steps: PollingSteps,
    private readonly intervalMs: number,
    private readonly onCrash: (error: unknown) => void,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    const stopped = new Promise<void>((resolve) => (this.stopRequested = resolve));
    this.running = this.loop(stopped).catch(this.onCrash);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopRequested();
    this.wakeUp.signal();
    await this.running;
    this.running = undefined;
  }

  /** Asks for a pass now rather than at the next interval. */
  wake(): void {
    this.wakeUp.signal();
  }

  private async loop(stopped: Promise<void>): Promise<void> {
    try {
      await Promise.race([this.steps.ready?.(), stopped]);
      while (!this.stopping) {
        const more = await this.steps.poll();
        if (this.stopping) break;
        if (!more) await this.wakeUp.wait(this.intervalMs);
      }
    } finally {
      await this.steps.finish?.();
    }
  }
}
