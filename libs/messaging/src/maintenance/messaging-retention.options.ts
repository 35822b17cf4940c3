export interface MessagingRetentionOptions {
  /** Time between two retention passes; 0 turns retention off (MESSAGING_RETENTION_INTERVAL_MS). */
  readonly intervalMs?: number;
  /** Days a published outbox row is kept after publishing (MESSAGING_OUTBOX_RETENTION_DAYS). */
  readonly outboxRetentionDays?: number;
  /**
   * Processed message ids are forgotten this long after processing
   * (MESSAGING_PROCESSED_RETENTION_DAYS). Once an id is forgotten, a redelivery of that message has
   * its effect a second time, so this must exceed every way a message can come back: the relay
   * publishing again after a crash (seconds), broker redeliveries (minutes), an operator replaying
   * dead letters or re-publishing outbox rows (days). It may not be shorter than the outbox's
   * retention: as long as a published row is kept, it can be replayed.
   */
  readonly processedRetentionDays?: number;
  /** Rows per DELETE statement: small enough that no statement holds its locks for long. */
  readonly batchSize?: number;
}

/** What MessagingModule takes besides MessagingModuleOptions. */
export interface MessagingMaintenanceOptions {
  readonly retention?: MessagingRetentionOptions;
}

export interface ResolvedMessagingRetentionOptions {
  readonly intervalMs: number;
  readonly outboxRetentionDays: number;
  readonly processedRetentionDays: number;
  readonly batchSize: number;
}

/** DI token of the resolved retention options. */
export const MESSAGING_RETENTION_OPTIONS = Symbol('MESSAGING_RETENTION_OPTIONS');

export const DEFAULT_MESSAGING_RETENTION: ResolvedMessagingRetentionOptions = {
  intervalMs: 10 * 60_000,
  outboxRetentionDays: 7,
  processedRetentionDays: 30,
  batchSize: 1_000,
};

export function resolveMessagingRetentionOptions(
  options: MessagingRetentionOptions = {},
): ResolvedMessagingRetentionOptions {
  const resolved = { ...DEFAULT_MESSAGING_RETENTION, ...withoutUndefined(options) };
  const { intervalMs, outboxRetentionDays, processedRetentionDays, batchSize } = resolved;
  if (!(intervalMs >= 0)) throw new Error(`retention intervalMs must be >= 0, got ${intervalMs}`);
  if (!(outboxRetentionDays > 0) || !(processedRetentionDays > 0)) {
    throw new Error('retention periods must be positive numbers of days');
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`retention batchSize must be a positive integer, got ${batchSize}`);
  }
  if (processedRetentionDays < outboxRetentionDays) {
    throw new Error(
      `processed message ids (kept ${processedRetentionDays} days) must be kept at least as ` +
        `long as published outbox rows (${outboxRetentionDays} days): a replayed row would ` +
        'take effect twice',
    );
  }
  return resolved;
}

function withoutUndefined(options: MessagingRetentionOptions): MessagingRetentionOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
