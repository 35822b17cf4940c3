import { UnitOfWork } from '../services/ports/unit-of-work.port.js';

/** Test double: runs the work with no transaction (in-memory fakes have nothing to roll back). */
export class ImmediateUnitOfWork extends UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
