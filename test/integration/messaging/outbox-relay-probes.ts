import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { MessagingSchemas } from '#lib/messaging';
import { MESSAGING_TEST_SCHEMAS } from './messaging-test-app.js';

/**
 * A consumer that stays busy (think: 10 s and more) until the test lets it finish: the relay's
 * worst case, without a test that sleeps for it.
 */
export class BusyConsumer {
  /** Ids of the messages it started on, in order, redeliveries included. */
  readonly started: string[] = [];
  private release: (() => void)[] = [];
  private finished = false;

  readonly consume = (id: string): Promise<void> => {
    this.started.push(id);
    if (this.finished) return Promise.resolve();
    return new Promise((resolve) => this.release.push(resolve));
  };

  /** Lets every delivery in progress, and all later ones, finish. */
  finish(): void {
    this.finished = true;
    for (const resolve of this.release.splice(0)) resolve();
  }
}

/** Sessions of this database that sit in an open transaction: the old relay's signature. */
export async function idleInTransaction(
  dataSource: DataSource,
): Promise<{ application_name: string }[]> {
  return dataSource.query(`
    SELECT application_name FROM pg_stat_activity
     WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
}

/** Connections the data source's pool has handed out and not taken back. */
export function checkedOutConnections(dataSource: DataSource): number {
  const pool = (dataSource.driver as PostgresDriver).master as pg.Pool;
  return pool.totalCount - pool.idleCount;
}

/** Throws (55P03) when any transaction holds the row: a leased row must not be locked. */
export async function assertNotLocked(dataSource: DataSource, outboxId: string): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (const schema of MESSAGING_TEST_SCHEMAS.names) {
      await manager.query(
        `SELECT id FROM ${MessagingSchemas.table(schema, 'outbox')} WHERE id = $1 FOR UPDATE NOWAIT`,
        [outboxId],
      );
    }
  });
}
