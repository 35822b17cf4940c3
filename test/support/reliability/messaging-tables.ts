import type pg from 'pg';

/** The messaging library's tables that the reconciliation reads. */
export const MESSAGING_TABLES = ['outbox', 'dead_letters', 'delivery_retries'] as const;
export type MessagingTable = (typeof MESSAGING_TABLES)[number];

/**
 * Where each messaging table lives, schema-qualified and quoted: every copy of it in the database.
 * The tables are found rather than named, so the reconciliation holds whether they sit in one
 * `messaging` schema or in each context's own schema.
 */
export async function messagingTables(
  database: pg.Pool,
): Promise<Record<MessagingTable, string[]>> {
  const { rows } = await database.query<{ schema: string; name: MessagingTable }>(
    `SELECT table_schema AS schema, table_name AS name
       FROM information_schema.tables
      WHERE table_name = ANY($1) AND table_type = 'BASE TABLE'
      ORDER BY table_schema`,
    [MESSAGING_TABLES],
  );
  const found = Object.fromEntries(MESSAGING_TABLES.map((table) => [table, [] as string[]]));
  for (const { schema, name } of rows) found[name].push(`"${schema}"."${name}"`);
  return found as Record<MessagingTable, string[]>;
}

/** One query over every copy of a messaging table: `SELECT <columns> FROM` each, UNION ALL. */
export function unionOf(tables: readonly string[], columns: string, where = 'true'): string {
  if (tables.length === 0) throw new Error('no copy of the table: have the apps migrated?');
  return tables
    .map((table) => `SELECT ${columns} FROM ${table} WHERE ${where}`)
    .join(' UNION ALL ');
}
