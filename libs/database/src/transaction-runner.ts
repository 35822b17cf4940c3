import { Injectable } from '@nestjs/common';
import { AsyncContextSlot } from '#lib/async-context';
import { DataSource, type EntityManager } from 'typeorm';
import { DatabaseUnavailableError } from './database-unavailable.error.js';

type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/**
 * Unit of work across repositories: `run` opens a transaction and every repository that asks for
 * `manager` inside it (however deep the call) uses that transaction, without passing it around.
 */
@Injectable()
export class TransactionRunner {
  private readonly current = new AsyncContextSlot<EntityManager>('transaction');

  constructor(private readonly dataSource: DataSource) {}

  /** The active transaction's manager, or the pool's when no transaction is open. */
  get manager(): EntityManager {
    const transaction = this.current.get();
    if (transaction) return transaction;
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
    const unitOfWork = (manager: EntityManager) => this.current.run(manager, work);
    // Naming the level costs a SET TRANSACTION round trip per transaction; READ COMMITTED is
    // already every connection's default (createDataSource pins it when the connection opens).
    return isolation === 'READ COMMITTED'
      ? this.dataSource.transaction(unitOfWork)
      : this.dataSource.transaction(isolation, unitOfWork);
  }

  // Before the background connection succeeds TypeORM fails with confusing errors (missing entity
  // metadata); say what is really wrong, as a transient error.
  private assertConnected(): void {
    if (!this.dataSource.isInitialized) throw new DatabaseUnavailableError();
  }
}
