import { Gauge, register } from 'prom-client';

export const HANDLER_IN_FLIGHT_METRIC = 'messaging_handler_in_flight';

function inFlightGauge(): Gauge<'consumer'> {
  // Several apps in one process (tests) share the series instead of failing to register it.
  const existing = register.getSingleMetric(HANDLER_IN_FLIGHT_METRIC) as
    Gauge<'consumer'> | undefined;
  return (
    existing ??
    new Gauge({
      name: HANDLER_IN_FLIGHT_METRIC,
      help: 'Event handler attempts running now, per consumer (capped by its bulkhead)',
      labelNames: ['consumer'],
    })
  );
}

/**
 * Caps the attempts of one consumer running at once, so a slow handler holds at most its own
 * slots and cannot starve the other handlers of its app. Excess attempts wait their turn in order.
 */
export class HandlerBulkhead {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly gauge = inFlightGauge();

  constructor(
    private readonly consumer: string,
    readonly limit: number,
  ) {
    this.gauge.set({ consumer }, 0);
  }

  get inFlight(): number {
    return this.running;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    // A finishing attempt hands its slot straight to the next waiter, so none can jump the queue.
    if (this.running >= this.limit)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    this.gauge.inc({ consumer: this.consumer });
    try {
      return await work();
    } finally {
      this.gauge.dec({ consumer: this.consumer });
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
