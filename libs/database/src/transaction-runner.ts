import { Injectable, Logger } from '@nestjs/common';
import { AsyncContextSlot } from '#lib/async-context';
import { DataSource, type EntityManager } from 'typeorm';
import { DatabaseUnavailableError } from './database-unavailable.error.js';

type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** Told whether the transaction it was registered in committed (true) or rolled back (false). */
export type TransactionCompletion = (committed: boolean) => void;

interface OpenTransaction {
  readonly manager: EntityManager;
  readonly completions: TransactionCompletion[];
}

/**
 * Unit of work across repositories: `run` opens a transaction and every repository that asks for
 * `manager` inside it (however deep the call) uses that transaction, without passing it around.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly current = new AsyncContextSlot<OpenTransaction>('transaction');

  constructor(private readonly dataSource: DataSource) {}

  /** The active transaction's manager, or the pool's when no transaction is open. */
  get manager(): EntityManager {
    const transaction = this.current.get();
    if (transaction) return transaction.manager;
    this.assertConnected();
    return this.dataSource.manager;
  }

  /**
   * The pool's manager even inside `run`, for a write that must commit on its own at once (a claim
   * that concurrent requests have to see). Like `manager`, it refuses before the connection is up.
   */
  get standalone(): EntityManager {
    this.assertConnected();
    return this.dataSource.manager;
  }

  /** Whether the caller runs inside `run`: its reads must see its own uncommitted writes. */
  get inTransaction(): boolean {
    return this.current.get() !== undefined;
  }

  /** Joins the surrounding transaction if there is one; otherwise starts one. */
  async run<T>(work: () => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    if (this.current.get()) return work();
    this.assertConnected();
    const completions: TransactionCompletion[] = [];
    const unitOfWork = (manager: EntityManager) => this.current.run({ manager, completions }, work);
    let result: T;
    try {
      // Naming the level costs a SET TRANSACTION round trip per transaction; READ COMMITTED is
      // already every connection's default (createDataSource pins it when the connection opens).
      result = await (isolation === 'READ COMMITTED'
        ? this.dataSource.transaction(unitOfWork)
        : this.dataSource.transaction(isolation, unitOfWork));
    } catch (error) {
      this.complete(completions, false);
      throw error;
    }
    this.complete(completions, true);
    return result;
  }

  /**
   * Calls `completion` once the transaction the caller runs in has ended: with true after it
   * committed, with false after it rolled back (or its COMMIT failed, which may have committed all
   * the same). It runs synchronously as `run` settles, before `run`'s caller resumes, so it must be
   * short; what it throws is logged, never the caller's failure. Only inside `run`.
   */
  afterCompletion(completion: TransactionCompletion): void {
    const transaction = this.current.get();
    if (!transaction) throw new Error('afterCompletion outside a transaction: call it inside run');
    transaction.completions.push(completion);
  }

  private complete(completions: readonly TransactionCompletion[], committed: boolean): void {
    for (const completion of completions) {
      try {
        completion(committed);
      } catch (error) {
        this.logger.error({ err: error }, 'a transaction completion callback failed');
      }
    }
  }

  // Before the background connection succeeds TypeORM fails with confusing errors (missing entity
  // metadata); say what is really wrong, as a transient error.
  private assertConnected(): void {
    if (!this.dataSource.isInitialized) throw new DatabaseUnavailableError();
  }
}
