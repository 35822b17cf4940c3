/**
 * Runs work atomically: every repository call made inside `run` joins one transaction, and a throw
 * rolls all of it back. The database library's TransactionRunner implements it; it is also the DI token.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}
