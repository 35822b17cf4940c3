import type { DatabaseFeature } from '#lib/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/** The classes `messagingTablesMigration` made: how `MessagingSchemas.of` finds the contexts. */
const MESSAGING_TABLE_MIGRATIONS = new WeakSet<MigrationClass>();

// The shared tables of earlier releases, emptied context by context into the contexts' own.
const SHARED_SCHEMA = 'messaging';

// Serialises the contexts' moves out of the shared tables (each context migrates under a lock of
// its own), so whichever moves last sees the others' moves committed and can drop what is empty.
const SHARED_MOVE_LOCK = 727_274_002;

/** Is `feature`'s schema given the messaging tables by its migrations? */
export function hasMessagingTables(feature: DatabaseFeature): boolean {
  return feature.migrations.some((migration) => MESSAGING_TABLE_MIGRATIONS.has(migration));
}

/**
 * The migration that gives a context's schema its own messaging tables (outbox, processed
 * messages, dead letters, delivery retries), the one definition every context lists with a
 * timestamp of its own. It also moves the context's rows out of the tables the contexts used to
 * share in the `messaging` schema: events by the publishing context (`<schema>.v1.*`), the rest
 * by the consuming one (`<schema>.<consumer>`). The shared schema is dropped by the move that
 * leaves it empty; rows that name no context stay there for an operator
 * (docs/adr/0038-messaging-tables-per-context.md). Every step is idempotent: listing the
 * factory again, with a later timestamp, moves whatever an old release wrote since.
 */
export function messagingTablesMigration(schema: string, timestamp: number): MigrationClass {
  const name = `Create${pascalCase(schema)}MessagingTables${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await createTables(queryRunner, schema);
      await moveSharedRows(queryRunner, schema);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      // The rows are not moved back: an earlier release reads the shared tables empty.
      for (const table of ['delivery_retries', 'dead_letters', 'processed_messages', 'outbox']) {
        await queryRunner.query(`DROP TABLE IF EXISTS "${schema}".${table}`);
      }
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  MESSAGING_TABLE_MIGRATIONS.add(migration);
  return migration;
}

async function createTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  const at = `"${schema}"`;
  await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${at}`);
  // owner: the app (SERVICE_NAME) whose relay publishes the row; NULL: any app running the context.
  await queryRunner.query(`
    CREATE TABLE IF NOT EXISTS ${at}.outbox (
      id              uuid        PRIMARY KEY,
      position        bigint      GENERATED ALWAYS AS IDENTITY,
      type            text        NOT NULL,
      payload         jsonb       NOT NULL,
      headers         jsonb       NOT NULL,
      created_at      timestamptz NOT NULL DEFAULT now(),
      published_at    timestamptz NULL,
      attempts        integer     NOT NULL DEFAULT 0,
      last_error      text        NULL,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      lease_until     timestamptz NULL,
      owner           text        NULL,
      CONSTRAINT outbox_attempts_not_negative CHECK (attempts >= 0)
    )`);
  // Unpublished rows by due time. A published row's entry stays, dead, until a vacuum: the relay
  // claims through outbox_claim_idx instead, which a walk in order keeps clean (ADR 0060), and a
  // later migration drops this one (dropOutboxDueIndexMigration).
  await queryRunner.query(`
    CREATE INDEX IF NOT EXISTS outbox_due_idx ON ${at}.outbox (next_attempt_at, position)
     WHERE published_at IS NULL`);
  await queryRunner.query(`
    CREATE TABLE IF NOT EXISTS ${at}.processed_messages (
      consumer     text        NOT NULL,
      message_id   uuid        NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, message_id)
    )`);
  await queryRunner.query(`
    CREATE TABLE IF NOT EXISTS ${at}.dead_letters (
      id         uuid        PRIMARY KEY,
      consumer   text        NOT NULL,
      type       text        NOT NULL,
      message_id text        NULL,
      envelope   jsonb       NULL,
      reason     text        NOT NULL,
      error      jsonb       NOT NULL,
      attempts   integer     NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await queryRunner.query(`
    CREATE INDEX IF NOT EXISTS dead_letters_consumer_created_at_idx
        ON ${at}.dead_letters (consumer, created_at)`);
  await queryRunner.query(`
    CREATE TABLE IF NOT EXISTS ${at}.delivery_retries (
      id              uuid        PRIMARY KEY,
      consumer        text        NOT NULL,
      type            text        NOT NULL,
      envelope        jsonb       NULL,
      attempts        integer     NOT NULL,
      last_error      text        NOT NULL,
      next_attempt_at timestamptz NOT NULL,
      leased_until    timestamptz NULL,
      created_at      timestamptz NOT NULL DEFAULT now(),
      owner           text        NULL,
      CONSTRAINT delivery_retries_attempts_not_negative CHECK (attempts >= 0)
    )`);
  await queryRunner.query(`
    CREATE INDEX IF NOT EXISTS delivery_retries_due_idx
        ON ${at}.delivery_retries (consumer, next_attempt_at)`);
}

// Each move is one statement, DELETE ... RETURNING feeding the INSERT: a row is in exactly one
// of the two tables at any time. Outbox rows keep their order (new positions, same sequence).
const MOVES: Readonly<Record<string, (schema: string) => string>> = {
  outbox: (schema) => `
    WITH moved AS (
      DELETE FROM ${SHARED_SCHEMA}.outbox WHERE split_part(type, '.', 1) = $1
      RETURNING id, position, type, payload, headers, created_at, published_at, attempts,
                last_error, next_attempt_at, lease_until, owner)
    INSERT INTO "${schema}".outbox (id, type, payload, headers, created_at, published_at,
                attempts, last_error, next_attempt_at, lease_until, owner)
    SELECT id, type, payload, headers, created_at, published_at, attempts, last_error,
           next_attempt_at, lease_until, owner
      FROM moved ORDER BY position
    ON CONFLICT (id) DO NOTHING`,
  processed_messages: (schema) => `
    WITH moved AS (
      DELETE FROM ${SHARED_SCHEMA}.processed_messages WHERE split_part(consumer, '.', 1) = $1
      RETURNING consumer, message_id, processed_at)
    INSERT INTO "${schema}".processed_messages (consumer, message_id, processed_at)
    SELECT consumer, message_id, processed_at FROM moved
    ON CONFLICT DO NOTHING`,
  dead_letters: (schema) => `
    WITH moved AS (
      DELETE FROM ${SHARED_SCHEMA}.dead_letters WHERE split_part(consumer, '.', 1) = $1
      RETURNING id, consumer, type, message_id, envelope, reason, error, attempts, created_at)
    INSERT INTO "${schema}".dead_letters (id, consumer, type, message_id, envelope, reason,
                error, attempts, created_at)
    SELECT id, consumer, type, message_id, envelope, reason, error, attempts, created_at
      FROM moved
    ON CONFLICT (id) DO NOTHING`,
  delivery_retries: (schema) => `
    WITH moved AS (
      DELETE FROM ${SHARED_SCHEMA}.delivery_retries WHERE split_part(consumer, '.', 1) = $1
      RETURNING id, consumer, type, envelope, attempts, last_error, next_attempt_at,
                leased_until, created_at, owner)
    INSERT INTO "${schema}".delivery_retries (id, consumer, type, envelope, attempts, last_error,
                next_attempt_at, leased_until, created_at, owner)
    SELECT id, consumer, type, envelope, attempts, last_error, next_attempt_at, leased_until,
           created_at, owner
      FROM moved
    ON CONFLICT (id) DO NOTHING`,
};

async function moveSharedRows(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query('SELECT pg_advisory_xact_lock($1)', [SHARED_MOVE_LOCK]);
  const present = await sharedTables(queryRunner);
  if (present.length === 0) return;
  // Writers of an earlier release wait for the move rather than slip a row in behind it.
  await queryRunner.query(
    `LOCK TABLE ${present.map((table) => `${SHARED_SCHEMA}.${table}`).join(', ')} IN ACCESS EXCLUSIVE MODE`,
  );
  for (const table of present) await queryRunner.query(MOVES[table](schema), [schema]);

  const [remaining] = (await queryRunner.query(
    `SELECT ${present.map((table) => `(SELECT count(*) FROM ${SHARED_SCHEMA}.${table})`).join(' + ')} AS remaining`,
  )) as { remaining: string }[];
  if (Number(remaining?.remaining) === 0)
    await queryRunner.query(`DROP SCHEMA ${SHARED_SCHEMA} CASCADE`);
}

async function sharedTables(queryRunner: QueryRunner): Promise<string[]> {
  const rows = (await queryRunner.query(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = $1 AND table_name = ANY($2::text[])`,
    [SHARED_SCHEMA, Object.keys(MOVES)],
  )) as { name: string }[];
  return rows.map((row) => row.name);
}

/** `order_events` → `OrderEvents`: a schema's name as part of a migration class's name. */
export function pascalCase(schema: string): string {
  return schema
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
