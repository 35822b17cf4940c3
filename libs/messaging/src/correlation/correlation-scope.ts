import { AsyncContextSlot } from '#lib/async-context';

export interface Correlation {
  /** Shared by everything one user action set off. */
  readonly correlationId: string;
  /** Id of the message or request being handled: the cause of whatever is sent from here. */
  readonly causationId?: string;
}

const slot = new AsyncContextSlot<Correlation>('correlation');

/**
 * The correlation of the work in progress, carried through async calls so that an envelope created
 * deep inside a use case, or a request sent from it, names the request or message that caused it
 * without every signature passing it along.
 */
export const CorrelationScope = {
  current(): Correlation | undefined {
    return slot.get();
  },

  run<T>(correlation: Correlation, work: () => T): T {
    return slot.run(correlation, work);
  },
};
