import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * A round of background work on a timer, in every replica: never two rounds at once in one
 * process, a failed round logged (the next one tries again), and shutdown waiting for the round
 * under way but never for the next. Subclasses say what a round does and how often it runs.
 */
export abstract class IntervalWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  /** Milliseconds between rounds; 0 turns the worker off. */
  protected abstract readonly intervalMs: number;

  /** What a failed round is logged as. */
  protected abstract readonly failure: string;

  protected abstract round(): Promise<void>;

  onApplicationBootstrap(): void {
    if (this.intervalMs === 0) return;
    // Does not keep the process alive: shutdown never waits for the next round.
    this.timer = setInterval(() => this.runOnce(), this.intervalMs).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private runOnce(): void {
    if (this.running) return;
    this.running = this.round()
      .catch((error: unknown) => this.logger.warn({ err: error }, this.failure))
      .finally(() => (this.running = undefined));
  }
}
