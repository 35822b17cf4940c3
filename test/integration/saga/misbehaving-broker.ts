/** What the saga test asks of a broker double that duplicates and reorders events. */
export interface MisbehavingBroker {
  /** Replays a run: the same seed makes the same choices. */
  readonly seed: number;
  /** Event deliveries (or publishes) made, copies included. */
  readonly deliveries: number;
  /** No copy is held back any more. */
  readonly isIdle: boolean;
}
