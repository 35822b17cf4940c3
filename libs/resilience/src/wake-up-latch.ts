/**
 * Lets a polling loop sleep until its next poll or until someone signals new work, whichever comes
 * first. A signal that arrives while the loop is busy is kept for its next wait, so no work is
 * missed between a poll and the following sleep.
 */
export class WakeUpLatch {
  private pending = false;
  private release?: () => void;

  signal(): void {
    if (this.release) this.release();
    else this.pending = true;
  }

  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      // unref: a sleeping poller must not keep the process alive on its own.
      const timer = setTimeout(() => this.release?.(), timeoutMs).unref();
      this.release = () => {
        clearTimeout(timer);
        this.release = undefined;
        resolve();
      };
    });
  }
}
