import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessagingSchemas } from '../tables/messaging-schemas.js';
import { type DeadLetter, DeadLetterStore } from './dead-letter.store.js';

const insertDeadLetter = (schema: string) => `
  INSERT INTO ${MessagingSchemas.table(schema, 'dead_letters')}
         (id, consumer, type, message_id, envelope, reason, error, attempts)
  VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, $8)`;

/**
 * Writes outside any transaction on purpose: the handler's transaction has rolled back, and the
 * dead letter must survive it. Kept in the consuming context's schema (`MessagingSchemas.ofDeadLetter`).
 */
@Injectable()
export class TypeormDeadLetterStore extends DeadLetterStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schemas: MessagingSchemas,
  ) {
    super();
  }

  async record(deadLetter: DeadLetter): Promise<void> {
    const schema = this.schemas.ofDeadLetter(deadLetter.consumer);
    await this.dataSource.query(insertDeadLetter(schema), [
      randomUUID(),
      deadLetter.consumer,
      deadLetter.type,
      deadLetter.messageId ?? null,
      // Any JSON value: a malformed message is kept exactly as it arrived.
      JSON.stringify(deadLetter.envelope ?? null),
      deadLetter.reason,
      JSON.stringify(deadLetter.error),
      deadLetter.attempts,
    ]);
  }
}
