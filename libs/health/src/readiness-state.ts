import { Injectable } from '@nestjs/common';

/**
 * Whether this process should receive new traffic. Flipped once, when SIGTERM arrives, so the
 * orchestrator stops routing to us while in-flight work drains.
 */
@Injectable()
export class ReadinessState {
  private draining = false;

  get isShuttingDown(): boolean {
    return this.draining;
  }

  markShuttingDown(): void {
    this.draining = true;
  }
}
