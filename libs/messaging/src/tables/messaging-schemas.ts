import type { DatabaseFeature } from '#lib/database';
import { hasMessagingTables } from './messaging-tables.migration.js';

/** The tables every context has in its own schema, created by `messagingTablesMigration`. */
export type MessagingTable = 'outbox' | 'processed_messages' | 'dead_letters' | 'delivery_retries';

// Schema names are spliced into SQL: only plain lower-case identifiers are let through.
const SCHEMA_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * The contexts whose messaging tables this app writes and reads, and which of them a message
 * belongs to. An event is its publisher's (`orders.v1.order-placed` is in `orders.outbox`); a
 * processed message, a stored retry and a dead letter are their consumer's (`catalog.release-
 * order-stock` writes to `catalog.*`). No table is shared between contexts
 * (docs/adr/0038-messaging-tables-per-context.md).
 */
export class MessagingSchemas {
  private readonly known: ReadonlySet<string>;

  constructor(readonly names: readonly string[]) {
    if (names.length === 0) {
      throw new Error(
        'no context of this app has messaging tables: list messagingTablesMigration in its persistence',
      );
    }
    for (const name of names) {
      if (!SCHEMA_NAME.test(name)) throw new Error(`"${name}" is not a messaging schema name`);
    }
    this.known = new Set(names);
  }

  /** The schemas of the features (by default every context this app declared) that have the tables. */
  static of(features: readonly DatabaseFeature[]): MessagingSchemas {
    return new MessagingSchemas(
      features.filter((feature) => hasMessagingTables(feature)).map((feature) => feature.schema),
    );
  }

  /** `"<schema>".<table>`, ready for SQL. */
  static table(schema: string, table: MessagingTable): string {
    return `"${schema}".${table}`;
  }

  /** The publishing context of an event type (`<context>.v<n>.<event>`). */
  ofEventType(type: string): string {
    const schema = this.prefixOf(type);
    if (schema) return schema;
    throw new Error(
      `event type "${type}" names no context of this app (${this.listed()}): ` +
        'event types are "<context>.v<version>.<name>" and go to that context\'s outbox',
    );
  }

  /** The consuming context of a consumer (`<context>.<name>`). */
  ofConsumer(consumer: string): string {
    const schema = this.prefixOf(consumer);
    if (schema) return schema;
    throw new Error(
      `consumer "${consumer}" names no context of this app (${this.listed()}): ` +
        'name it "<context>.<name>"; its processed messages, retries and dead letters are kept there',
    );
  }

  /**
   * Where a dead letter is kept: its consumer's context, else (a message no handler could even
   * read, dead-lettered under the app's name) the context the app is named after, else its first.
   */
  ofDeadLetter(consumer: string): string {
    if (this.known.has(consumer)) return consumer;
    return this.prefixOf(consumer) ?? this.names[0];
  }

  private prefixOf(name: string): string | undefined {
    const dot = name.indexOf('.');
    if (dot <= 0 || dot === name.length - 1) return undefined;
    const prefix = name.slice(0, dot);
    return this.known.has(prefix) ? prefix : undefined;
  }

  private listed(): string {
    return this.names.join(', ');
  }
}
