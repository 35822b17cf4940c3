import {
  type ClaimedDeliveryRetry,
  type DeliveryRetry,
  DeliveryRetryStore,
} from '../delivery/delivery-retry.store.js';

interface StoredRetry extends ClaimedDeliveryRetry {
  dueInMs: number;
}

/** For unit tests: retries in an array; "due" is whatever the test makes due with `makeDue`. */
export class InMemoryDeliveryRetryStore extends DeliveryRetryStore {
  readonly retries: StoredRetry[] = [];
  private nextId = 1;

  async schedule(retry: DeliveryRetry, delayMs: number): Promise<void> {
    this.retries.push({ ...retry, id: String(this.nextId++), dueInMs: delayMs });
  }

  async claimDue(consumers: readonly string[], limit: number): Promise<ClaimedDeliveryRetry[]> {
    return this.retries
      .filter((retry) => retry.dueInMs <= 0 && consumers.includes(retry.consumer))
      .slice(0, limit)
      .map(({ dueInMs: _dueInMs, ...retry }) => retry);
  }

  async reschedule(
    id: string,
    attempts: number,
    delayMs: number,
    lastError: string,
  ): Promise<void> {
    const retry = this.retries.find((candidate) => candidate.id === id);
    if (retry) Object.assign(retry, { attempts, dueInMs: delayMs, lastError });
  }

  async remove(id: string): Promise<void> {
    const index = this.retries.findIndex((retry) => retry.id === id);
    if (index >= 0) this.retries.splice(index, 1);
  }

  /** Time passes: every stored retry is due. */
  makeDue(): void {
    for (const retry of this.retries) retry.dueInMs = 0;
  }
}
