import { randomUUID } from 'node:crypto';
import { type RunningApp, startApp } from '../support/app-process.js';
import { uniqueEmail } from '../support/test-environment.js';

const PASSWORD = 'tangerine-bicycle-42';
const WRONG = 'wrong-password-99';
const FREE_FAILURES = 3;

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

// Documentation addresses (RFC 5737); a fresh SERVICE_NAME per run keeps runs' counters apart.
const STRANGER = '203.0.113.10';
const GUESSER = '203.0.113.20';
const OWNER = '198.51.100.7';

describe('login limits per account and source over HTTP', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({
      // Behind one proxy hop: the app takes the caller's address from X-Forwarded-For.
      HTTP_TRUST_PROXY: '1',
      SERVICE_NAME: `test-login-limits-${randomUUID().slice(0, 8)}`,
      LOGIN_THROTTLE_LIMIT_PER_ACCOUNT: String(FREE_FAILURES),
      LOGIN_THROTTLE_WINDOW_MS: '60000',
      LOGIN_THROTTLE_BASE_DELAY_MS: '1000',
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const token = (source: string, username: string, password: string): Promise<Response> =>
    fetch(`${app.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: { 'x-forwarded-for': source },
      body: new URLSearchParams({ grant_type: 'password', username, password }),
    });

  async function registered(): Promise<string> {
    const email = uniqueEmail('owner');
    const response = await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(response.status).toBe(201);
    return email;
  }

  /** Waits as long as each 429 asks, then fails once more with a wrong password. */
  async function waitOutDelayAndFail(source: string, email: string): Promise<void> {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const response = await token(source, email, WRONG);
      if (response.status === 400) return;
      expect(response.status).toBe(429);
      await sleep(Number(response.headers.get('retry-after')) * 1000);
    }
    throw new Error('the delay never ended');
  }

  it("does not let a stranger's wrong passwords from one address lock the owner out of another", async () => {
    const email = await registered();
    const stranger = STRANGER;
    for (let attempt = 0; attempt < 2 * FREE_FAILURES; attempt += 1) {
      expect([400, 429]).toContain((await token(stranger, email, WRONG)).status);
    }
    expect((await token(stranger, email, WRONG)).status).toBe(429);

    const owner = await token(OWNER, email, PASSWORD);
    expect(owner.status).toBe(200);
  });

  it('slows a guesser down with a Retry-After that grows with each further failure', async () => {
    const email = await registered();
    const guesser = GUESSER;
    for (let attempt = 0; attempt < FREE_FAILURES; attempt += 1) {
      expect((await token(guesser, email, WRONG)).status).toBe(400);
    }

    const retryAfters: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const refused = await token(guesser, email, WRONG);
      expect(refused.status).toBe(429);
      retryAfters.push(Number(refused.headers.get('retry-after')));
      await waitOutDelayAndFail(guesser, email);
    }
    // A delay, not a lockout: the first wait is short, and each failure doubles the next one.
    expect(retryAfters[0]).toBeGreaterThanOrEqual(1);
    expect(retryAfters[0]).toBeLessThanOrEqual(2);
    expect(retryAfters[2]).toBeGreaterThan(retryAfters[0]);
  }, 60_000);
});
