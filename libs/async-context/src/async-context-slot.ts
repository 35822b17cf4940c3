import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The context as a chain, innermost value first: a `run` adds one small fixed-shape link instead
 * of copying the values around it, and a lookup walks a chain a few links long.
 */
interface Link {
  readonly key: symbol;
  readonly value: unknown;
  readonly outer: Link | undefined;
}

// One storage for the whole process, whatever number of slots (ADR 0053). On Node 20 every
// AsyncLocalStorage in use adds its own copy step to every promise the process creates.
const storage = new AsyncLocalStorage<Link>();

/**
 * A value carried through the async calls of one piece of work (a request, a message, a
 * transaction) without every signature passing it along. Slots are independent: running work
 * with a value in one keeps the values the others hold around it.
 */
export class AsyncContextSlot<T> {
  private readonly key: symbol;

  /** `name` only labels the slot when debugging: two slots of one name are still two slots. */
  constructor(name: string) {
    this.key = Symbol(name);
  }

  /** The value of the innermost `run` of this slot around the caller, if any. */
  get(): T | undefined {
    for (let link = storage.getStore(); link !== undefined; link = link.outer) {
      if (link.key === this.key) return link.value as T;
    }
    return undefined;
  }

  /** Runs `work`, and everything it starts, with `value` in this slot. */
  run<R>(value: T, work: () => R): R {
    return storage.run({ key: this.key, value, outer: storage.getStore() }, work);
  }
}
