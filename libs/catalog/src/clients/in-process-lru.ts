import type { Clock } from '#lib/kernel';

interface Slot<V> {
  readonly value: V;
  readonly expiresAt: number;
}

/**
 * A bounded map whose entries expire: at most `maxEntries`, the least recently read leaving first,
 * each for `ttlMs` after it was stored. With a ttl of 0 it stores nothing. Single-threaded by
 * nature (one event loop), so no locking.
 */
export class InProcessLru<V> {
  // A Map iterates in insertion order: re-inserting on each hit keeps the coldest entry first.
  private readonly slots = new Map<string, Slot<V>>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.slots.delete(key);
    if (slot.expiresAt <= this.clock.now().getTime()) return undefined;
    this.slots.set(key, slot);
    return slot.value;
  }

  set(key: string, value: V): void {
    if (this.ttlMs === 0) return;
    this.slots.delete(key);
    this.slots.set(key, { value, expiresAt: this.clock.now().getTime() + this.ttlMs });
    if (this.slots.size > this.maxEntries) {
      const coldest = this.slots.keys().next();
      if (coldest.done !== true) this.slots.delete(coldest.value);
    }
  }

  delete(key: string): void {
    this.slots.delete(key);
  }

  clear(): void {
    this.slots.clear();
  }
}
