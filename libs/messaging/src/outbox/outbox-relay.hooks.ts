/**
 * Points at which a test can make the relay fail as a crash would. Throwing aborts the batch's
 * transaction, exactly what a dying process does to it: the locks go, nothing is marked.
 */
export interface OutboxRelayHooks {
  /** After the batch is locked, before anything is published. */
  afterFetch?(ids: readonly string[]): Promise<void> | void;
  /** After the batch is published, before it is marked: the rows will be published again. */
  afterPublish?(ids: readonly string[]): Promise<void> | void;
}
