import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { classifyDatabaseError } from './database-error-classification.js';
import type { ReadReplica } from './read-replica.js';
import { TransactionRunner } from './transaction-runner.js';

/**
 * Where read-only queries that tolerate replication lag run: on a streaming replica when one is
 * configured and up, else on the primary. Only queries that ask (`read`) ever leave the primary,
 * so writes, and reads whose answer feeds a write or a shared cache, stay there. Inside a
 * transaction a read joins it, to see the transaction's own writes. A replica that fails a read is
 * left for the primary until it answers again (ReadReplica), and the read is retried on the
 * primary at once: a replica outage costs neither the request nor readiness.
 */
@Injectable()
export class ReadReplicas implements OnModuleInit, OnApplicationShutdown {
  private next = 0;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly replicas: readonly ReadReplica[] = [],
  ) {}

  /** How many replicas serve reads now (the others are connecting or down). */
  get replicasUp(): number {
    return this.replicas.filter((replica) => replica.isUp).length;
  }

  onModuleInit(): void {
    for (const replica of this.replicas) replica.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.stop()));
  }

  /** `work` must only read: on the primary, as a fallback, nothing would stop a write. */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const replica = this.transactions.inTransaction ? undefined : this.pick();
    if (!replica) return work(this.transactions.manager);
    try {
      return await work(replica.manager);
    } catch (error) {
      // Bad request data fails on the primary just the same; say so without the second try.
      if (classifyDatabaseError(error) === 'invalid-value') throw error;
      replica.markDown(error);
      return work(this.transactions.manager);
    }
  }

  /** Round robin over the replicas that are up. */
  private pick(): ReadReplica | undefined {
    for (let tried = 0; tried < this.replicas.length; tried += 1) {
      const replica = this.replicas[this.next % this.replicas.length];
      this.next = (this.next + 1) % this.replicas.length;
      if (replica?.isUp) return replica;
    }
    return undefined;
  }
}
