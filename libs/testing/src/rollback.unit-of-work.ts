import type { UnitOfWorkShape } from './unit-of-work.js';

/** An in-memory fake that can put back what it held: `snapshot()` returns the restore. */
export interface RestorableStore {
  snapshot(): () => void;
}

/**
 * Test double of a transaction over in-memory fakes: restores what they held when the work
 * throws, as a rollback would. Not isolated: enough for tests that run one use case at a time.
 */
export class RollbackUnitOfWork implements UnitOfWorkShape {
  runs = 0;

  constructor(private readonly stores: readonly RestorableStore[]) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.runs += 1;
    const restores = this.stores.map((store) => store.snapshot());
    try {
      return await work();
    } catch (error) {
      for (const restore of restores) restore();
      throw error;
    }
  }
}
