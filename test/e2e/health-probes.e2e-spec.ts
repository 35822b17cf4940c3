import { type RunningApp, startApp } from '../support/app-process.js';

// Probes reach each app directly; the split stack's gateway does not publish /health, so the
// e2e-split project leaves this file out (jest.config.js).
describe('health probes of one app', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  // Timings differ from one check to the next; everything else must match.
  const probe = async (path: string) => {
    const response = await fetch(`${app.baseUrl}${path}`);
    const body = JSON.parse(await response.text(), (key, value: unknown) =>
      key === 'responseTime' ? undefined : value,
    ) as unknown;
    return { status: response.status, body };
  };

  it('answers GET /health exactly like /health/ready', async () => {
    const health = await probe('/health');
    const ready = await probe('/health/ready');

    expect(health).toEqual(ready);
    expect(health.status).toBe(200);
  });

  it('includes the message transport in readiness', async () => {
    const { body } = await probe('/health');

    expect(body).toMatchObject({
      status: 'ok',
      info: {
        postgres: { status: 'up' },
        redis: { status: 'up' },
        messaging: { status: 'up', transport: 'in-process' },
      },
    });
  });
});
