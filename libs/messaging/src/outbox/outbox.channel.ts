/** Postgres NOTIFY channel on which a committed outbox insert wakes the relays. */
export const OUTBOX_CHANNEL = 'messaging_outbox';
