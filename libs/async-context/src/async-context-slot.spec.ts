import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncContextSlot } from './async-context-slot.js';

describe('AsyncContextSlot', () => {
  const tenant = new AsyncContextSlot<string>('tenant');
  const user = new AsyncContextSlot<string>('user');

  it('holds nothing outside a run', () => {
    expect(tenant.get()).toBeUndefined();
  });

  it('carries its value across awaits and timers, and drops it when the run ends', async () => {
    const seen = await tenant.run('acme', async () => {
      await sleep(1);
      const afterTimer = await new Promise<string | undefined>((resolve) =>
        setImmediate(() => resolve(tenant.get())),
      );
      return [tenant.get(), afterTimer];
    });
    expect(seen).toEqual(['acme', 'acme']);
    expect(tenant.get()).toBeUndefined();
  });

  it('keeps the other slots of the surrounding work', async () => {
    const seen = await tenant.run('acme', () =>
      user.run('ada', async () => {
        await sleep(1);
        return { tenant: tenant.get(), user: user.get() };
      }),
    );
    expect(seen).toEqual({ tenant: 'acme', user: 'ada' });
  });

  it('lets an inner run shadow its own slot only until it ends', () => {
    const seen = tenant.run('outer', () => {
      const inner = tenant.run('inner', () => tenant.get());
      return [inner, tenant.get()];
    });
    expect(seen).toEqual(['inner', 'outer']);
  });

  it('keeps concurrent runs apart', async () => {
    const read = (name: string, delayMs: number) =>
      tenant.run(name, async () => {
        await sleep(delayMs);
        return tenant.get();
      });
    await expect(Promise.all([read('first', 5), read('second', 1)])).resolves.toEqual([
      'first',
      'second',
    ]);
  });

  it('tells apart two slots of the same name', () => {
    const again = new AsyncContextSlot<string>('tenant');
    expect(tenant.run('acme', () => again.get())).toBeUndefined();
  });
});
