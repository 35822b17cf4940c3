import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';

const MAX_BACKOFF_MS = 5_000;

/** host:port of a postgres URL, for logs: the URL itself may carry a password. */
export function replicaName(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || '5432'}`;
}

/**
 * One streaming replica and whether reads may use it now. It is usable only after a query on it
 * worked: until then, and from a failed read until a probe (`SELECT 1`) works again, it is down
 * and a background loop retries with capped backoff. Reads never wait for a down replica.
 */
export class ReadReplica {
  private readonly logger = new Logger('ReadReplica');
  private up = false;
  private probing?: Promise<void>;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(
    readonly name: string,
    private readonly dataSource: DataSource,
  ) {}

  get isUp(): boolean {
    return this.up && this.dataSource.isInitialized;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Connects in the background; the replica serves reads once that worked. */
  start(): void {
    this.probeUntilUp();
  }

  /** A read failed on it: reads leave it until a probe works again. */
  markDown(error: unknown): void {
    if (this.stopped || !this.up) return;
    this.up = false;
    this.logger.warn(
      `read replica ${this.name} down, reads go to the primary: ${error instanceof Error ? error.message : String(error)}`,
    );
    this.probeUntilUp();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.probing;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private probeUntilUp(): void {
    this.probing ??= this.probe().finally(() => {
      this.probing = undefined;
    });
  }

  private async probe(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        if (!this.dataSource.isInitialized) await this.dataSource.initialize();
        await this.dataSource.query('SELECT 1');
        if (this.stopped) return;
        this.up = true;
        this.logger.log(`read replica ${this.name} serves reads`);
        return;
      } catch (error) {
        if (attempt === 1) {
          this.logger.warn(
            `read replica ${this.name} not reachable, retrying in the background: ${(error as Error).message}`,
          );
        }
        const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempt, 5));
        await sleep(delay, undefined, { ref: false, signal: this.stopping.signal }).catch(
          () => undefined,
        );
      }
    }
  }
}
