// Postgres truncates longer identifiers, and pg_notify refuses longer channel names.
const MAX_CHANNEL_LENGTH = 63;

/**
 * The Postgres NOTIFY channel on which a committed insert into one context's outbox wakes the
 * relays that publish that outbox, and no others. With one channel for every context, each commit
 * woke the relay of every app sharing the database, and each ran a claim that found nothing.
 */
export function outboxChannel(schema: string): string {
  const channel = `messaging_outbox_${schema}`;
  if (channel.length > MAX_CHANNEL_LENGTH) {
    throw new Error(
      `the outbox channel of schema "${schema}" would be longer than ${MAX_CHANNEL_LENGTH} characters`,
    );
  }
  return channel;
}
