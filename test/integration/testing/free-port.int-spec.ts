import { createServer, type Server } from 'node:net';
import { isPortFree } from '../../../scripts/split-stack/split-stack.js';
import { freePort } from '../../support/spawned-process.js';

describe('free ports for spawned apps', () => {
  let taken: Server;
  let takenPort: number;

  beforeAll(async () => {
    takenPort = await freePort();
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(takenPort, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((closed) => taken.close(closed));
  });

  it('answers false for a port something listens on, rather than throwing', async () => {
    await expect(isPortFree(takenPort)).resolves.toBe(false);
  });

  it('answers true for a port nothing listens on, and leaves it free', async () => {
    const port = await freePort();
    await expect(isPortFree(port)).resolves.toBe(true);
    await expect(isPortFree(port)).resolves.toBe(true);
  });

  it('never hands out the same port twice', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
  });
});
