import type { UnitOfWorkShape } from './unit-of-work.js';

/** Test double: runs the work with no transaction (in-memory fakes have nothing to roll back). */
export class ImmediateUnitOfWork implements UnitOfWorkShape {
  /** How many units of work ran: lets a test check that a use case made its changes in one. */
  runs = 0;

  run<T>(work: () => Promise<T>): Promise<T> {
    this.runs += 1;
    return work();
  }
}
