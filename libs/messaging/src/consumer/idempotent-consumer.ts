import { Injectable } from '@nestjs/common';
import type { MessageEnvelope } from '#lib/contracts';
import { TransactionRunner } from '#lib/database';
import { MessagingSchemas } from '../tables/messaging-schemas.js';

export type ConsumeOutcome<T> =
  { readonly duplicate: false; readonly result: T } | { readonly duplicate: true };

const claimMessage = (schema: string) => `
  INSERT INTO ${MessagingSchemas.table(schema, 'processed_messages')} (consumer, message_id)
  VALUES ($1, $2)
  ON CONFLICT DO NOTHING
  RETURNING message_id`;

/**
 * Makes a consumer's effect happen once per message, however often the message is delivered.
 * The message id is recorded in the same transaction as the effect: if the work fails, both roll
 * back and a redelivery tries again; if it commits, a redelivery finds the id and does nothing.
 * A concurrent redelivery waits on the first one's row lock, then sees the id. The record is
 * kept in the consuming context's schema (`catalog.release-order-stock`: `catalog.processed_messages`).
 */
@Injectable()
export class IdempotentConsumer {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly schemas: MessagingSchemas,
  ) {}

  /**
   * @param consumer stable name of the consuming use case, `<context>.<name>` (e.g.
   *   `payments.charge-order`); one message is processed once per consumer, so two consumers of
   *   an event each get it.
   * @param work the effect; repositories inside it join the transaction through TransactionRunner.
   */
  handle<T>(
    consumer: string,
    message: Pick<MessageEnvelope, 'id'>,
    work: () => Promise<T>,
  ): Promise<ConsumeOutcome<T>> {
    const statement = claimMessage(this.schemas.ofConsumer(consumer));
    return this.transactions.run(async () => {
      const claimed = await this.transactions.manager.query<unknown[]>(statement, [
        consumer,
        message.id,
      ]);
      if (claimed.length === 0) return { duplicate: true };
      return { duplicate: false, result: await work() };
    });
  }
}
