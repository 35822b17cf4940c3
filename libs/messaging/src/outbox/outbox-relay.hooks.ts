/**
 * Points at which a test can make the relay fail as a crash would. Throwing leaves the claimed rows
 * exactly as a dying process leaves them: leased and unmarked, so they are claimed and published
 * again once their lease has run out.
 */
export interface OutboxRelayHooks {
  /** After the rows are claimed (the claim committed), before anything is published. */
  afterClaim?(ids: readonly string[]): Promise<void> | void;
  /** After the claimed rows were published, before they are marked: they will be published again. */
  afterPublish?(ids: readonly string[]): Promise<void> | void;
}
