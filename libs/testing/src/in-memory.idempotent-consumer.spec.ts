import { InMemoryIdempotentConsumer } from './in-memory.idempotent-consumer.js';

describe('InMemoryIdempotentConsumer', () => {
  it('runs the work once per consumer and message, and again for another consumer', async () => {
    const consumer = new InMemoryIdempotentConsumer();
    const message = { id: 'm-1' };

    const first = await consumer.handle('a.one', message, async () => 'done');
    const again = await consumer.handle('a.one', message, async () => 'done twice');
    const other = await consumer.handle('a.two', message, async () => 'done by another');

    expect(first).toEqual({ duplicate: false, result: 'done' });
    expect(again).toEqual({ duplicate: true });
    expect(other).toEqual({ duplicate: false, result: 'done by another' });
    expect(consumer.processed).toEqual(new Set(['a.one/m-1', 'a.two/m-1']));
  });

  it('leaves no mark when the work fails, so the redelivery runs it', async () => {
    const consumer = new InMemoryIdempotentConsumer();
    const message = { id: 'm-1' };

    await expect(
      consumer.handle('a.one', message, () => Promise.reject(new Error('database down'))),
    ).rejects.toThrow('database down');
    const retried = await consumer.handle('a.one', message, async () => 'done');

    expect(retried).toEqual({ duplicate: false, result: 'done' });
  });
});
