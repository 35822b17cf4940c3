import { Logger } from '@nestjs/common';
import { Gauge, type Registry, register } from 'prom-client';

/** Work waiting in a table: how much, and since when the oldest item waits (null: none). */
export interface Backlog {
  readonly count: number;
  readonly oldestSince: Date | null;
}

export interface BacklogGaugesOptions {
  /** Gauge of how many items wait. */
  readonly count: { readonly name: string; readonly help: string };
  /** Gauge of how long the oldest item has waited, in seconds (0 when none waits). */
  readonly oldestAge: { readonly name: string; readonly help: string };
  /** Reads the backlog as of `now`; called at most once per scrape, shared by both gauges. */
  readonly read: (now: Date) => Promise<Backlog>;
  readonly now: () => Date;
  /** Names the backlog in the warning logged when it cannot be read. */
  readonly what: string;
  /** prom-client's global registry (what /metrics serves) unless given. */
  readonly registry?: Registry;
}

/**
 * A backlog kept in the database, as two gauges read at each scrape (not on a timer, so an idle
 * app queries nothing). When the read fails both series are left out of the scrape, not set to 0:
 * a reassuring 0 is not what an unreadable database means; one warning is logged per outage.
 * Every replica reads the same table: aggregate them with max, not sum.
 */
export class BacklogGauges {
  private readonly logger: Logger;
  private readonly registry: Registry;
  private inFlight?: Promise<{ count: number; oldestAgeSeconds: number } | undefined>;
  private unavailable = false;

  constructor(private readonly options: BacklogGaugesOptions) {
    this.logger = new Logger(`BacklogGauges(${options.what})`);
    const registry = (this.registry = options.registry ?? register);
    const read = () => this.read();
    const gauges = [
      { ...options.count, value: (backlog: { count: number }) => backlog.count },
      {
        ...options.oldestAge,
        value: (backlog: { oldestAgeSeconds: number }) => backlog.oldestAgeSeconds,
      },
    ];
    for (const { name, help, value } of gauges) {
      // Another app in this process (tests) may have registered it, bound to its own database.
      registry.removeSingleMetric(name);
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const backlog = await read();
          if (backlog) this.set(value(backlog));
          else this.remove({});
        },
      });
    }
  }

  /** Takes both gauges out of the registry (the app is closing). */
  remove(): void {
    this.registry.removeSingleMetric(this.options.count.name);
    this.registry.removeSingleMetric(this.options.oldestAge.name);
  }

  private read(): Promise<{ count: number; oldestAgeSeconds: number } | undefined> {
    this.inFlight ??= this.query().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async query(): Promise<{ count: number; oldestAgeSeconds: number } | undefined> {
    try {
      // One instant for the query and the age, so both describe the same moment.
      const now = this.options.now();
      const { count, oldestSince } = await this.options.read(now);
      this.unavailable = false;
      const ageMs = oldestSince ? now.getTime() - oldestSince.getTime() : 0;
      return { count, oldestAgeSeconds: Math.max(0, ageMs) / 1000 };
    } catch (error) {
      if (!this.unavailable) {
        this.unavailable = true;
        this.logger.warn(`${this.options.what} metrics left out: ${(error as Error).message}`);
      }
      return undefined;
    }
  }
}
