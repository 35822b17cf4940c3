import { CoalescedMarks } from './coalesced-marks.js';

/** A statement writer the test completes by hand, recording what each statement carried. */
class ManualWrites {
  readonly statements: { schema: string; ids: readonly string[] }[] = [];
  private pending: { resolve: () => void; reject: (error: Error) => void }[] = [];

  readonly write = (schema: string, ids: readonly string[]): Promise<void> => {
    this.statements.push({ schema, ids });
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  };

  complete(): void {
    this.pending.shift()?.resolve();
  }

  fail(error: Error): void {
    this.pending.shift()?.reject(error);
  }
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedMarks', () => {
  it('writes a mark at once when no statement of its outbox runs', async () => {
    const writes = new ManualWrites();
    const marks = new CoalescedMarks(writes.write);

    const marked = marks.mark('orders', ['a', 'b']);

    expect(writes.statements).toEqual([{ schema: 'orders', ids: ['a', 'b'] }]);
    writes.complete();
    await expect(marked).resolves.toBeUndefined();
  });

  it('writes the marks asked for while one runs together, in the next statement', async () => {
    const writes = new ManualWrites();
    const marks = new CoalescedMarks(writes.write);
    const done: string[] = [];
    const mark = (ids: string[]) => marks.mark('orders', ids).then(() => done.push(ids.join()));

    const first = mark(['a']);
    const second = mark(['b']);
    const third = mark(['c', 'd']);
    expect(writes.statements).toHaveLength(1);
    writes.complete();
    await first;
    await settled();

    expect(done).toEqual(['a']);
    expect(writes.statements).toEqual([
      { schema: 'orders', ids: ['a'] },
      { schema: 'orders', ids: ['b', 'c', 'd'] },
    ]);
    writes.complete();
    await Promise.all([second, third]);
    expect(done).toEqual(['a', 'b', 'c,d']);
  });

  it('keeps the outboxes apart: a statement of one does not hold up another', () => {
    const writes = new ManualWrites();
    const marks = new CoalescedMarks(writes.write);

    void marks.mark('orders', ['a']);
    void marks.mark('payments', ['p']);

    expect(writes.statements).toEqual([
      { schema: 'orders', ids: ['a'] },
      { schema: 'payments', ids: ['p'] },
    ]);
  });

  it('fails every mark a failed statement carried, and goes on with the next', async () => {
    const writes = new ManualWrites();
    const marks = new CoalescedMarks(writes.write);
    const first = marks.mark('orders', ['a']);
    const second = marks.mark('orders', ['b']);
    const third = marks.mark('orders', ['c']);
    writes.complete();
    await first;
    await settled();

    writes.fail(new Error('connection lost'));
    await expect(second).rejects.toThrow('connection lost');
    await expect(third).rejects.toThrow('connection lost');

    const later = marks.mark('orders', ['d']);
    expect(writes.statements.at(-1)).toEqual({ schema: 'orders', ids: ['d'] });
    writes.complete();
    await expect(later).resolves.toBeUndefined();
  });
});
