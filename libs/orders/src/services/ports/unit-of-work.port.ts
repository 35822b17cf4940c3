/**
 * Runs work atomically: every repository call and every published event inside `run` joins one
 * transaction. The database library's TransactionRunner implements it; it is also the DI token.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}
