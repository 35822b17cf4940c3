import { UnitOfWork } from '../services/ports/unit-of-work.port.js';

/**
 * Test double of a transaction over in-memory fakes: restores what they held when the work
 * throws, as a rollback would. Not isolated: enough for tests that run one use case at a time.
 */
export class RollbackUnitOfWork extends UnitOfWork {
  constructor(private readonly stores: readonly { snapshot(): () => void }[]) {
    super();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const restores = this.stores.map((store) => store.snapshot());
    try {
      return await work();
    } catch (error) {
      for (const restore of restores) restore();
      throw error;
    }
  }
}
