import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DatabaseConnection } from '#lib/database';
import type { EnsureBootstrapAdminService } from '../services/ensure-bootstrap-admin.service.js';
import { BootstrapAdminOnStartup } from './bootstrap-admin.startup.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

function startup(ensure: () => Promise<unknown>) {
  let databaseReady!: () => void;
  const whenReady = new Promise<void>((resolve) => (databaseReady = resolve));
  let ensured = 0;
  const hook = new BootstrapAdminOnStartup(
    { whenReady: () => whenReady } as unknown as DatabaseConnection,
    {
      ensure: () => {
        ensured += 1;
        return ensure();
      },
    } as unknown as EnsureBootstrapAdminService,
  );
  return { hook, databaseReady, ensured: () => ensured };
}

describe('BootstrapAdminOnStartup', () => {
  it('returns at once and ensures the admin only after the database is ready', async () => {
    const { hook, databaseReady, ensured } = startup(async () => 'created');
    expect(hook.onApplicationBootstrap()).toBeUndefined();
    await flush();
    expect(ensured()).toBe(0);

    databaseReady();
    await flush();
    expect(ensured()).toBe(1);
  });

  it('logs a failure instead of letting it escape as an unhandled rejection', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const { hook, databaseReady } = startup(() => Promise.reject(new Error('weak password')));
      hook.onApplicationBootstrap();
      databaseReady();
      await flush();
      expect(logged).toHaveBeenCalledWith('bootstrap admin not created: weak password');
    } finally {
      logged.mockRestore();
    }
  });
});
