import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/**
 * Unit of work across repositories: `run` opens a transaction and every repository that asks for
 * `manager` inside it (however deep the call) uses that transaction, without passing it around.
 */
@Injectable()
export class TransactionRunner {
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  /** The active transaction's manager, or the pool's when no transaction is open. */
  get manager(): EntityManager {
    return this.current.getStore() ?? this.dataSource.manager;
  }

  /** Joins the surrounding transaction if there is one; otherwise starts one. */
  run<T>(work: () => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    if (this.current.getStore()) return work();
    return this.dataSource.transaction(isolation, (manager) => this.current.run(manager, work));
  }
}
