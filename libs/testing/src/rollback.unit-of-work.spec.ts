import { RollbackUnitOfWork } from './rollback.unit-of-work.js';

/** The smallest restorable fake: a list that can put back what it held. */
class ListStore {
  items: string[] = [];
  snapshot(): () => void {
    const kept = [...this.items];
    return () => {
      this.items = kept;
    };
  }
}

describe('RollbackUnitOfWork', () => {
  it('keeps the changes of work that succeeds, and returns its result', async () => {
    const store = new ListStore();
    const unitOfWork = new RollbackUnitOfWork([store]);

    const result = await unitOfWork.run(async () => {
      store.items.push('a');
      return 42;
    });

    expect(result).toBe(42);
    expect(store.items).toEqual(['a']);
    expect(unitOfWork.runs).toBe(1);
  });

  it('puts every store back as it was when the work throws, and rethrows', async () => {
    const first = new ListStore();
    const second = new ListStore();
    first.items.push('kept');
    const unitOfWork = new RollbackUnitOfWork([first, second]);

    await expect(
      unitOfWork.run(async () => {
        first.items.push('lost');
        second.items.push('lost');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    expect(first.items).toEqual(['kept']);
    expect(second.items).toEqual([]);
  });
});
