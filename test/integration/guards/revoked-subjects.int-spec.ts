import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Registry } from 'prom-client';
import { createRedisClient, type RedisClient } from '#lib/redis';
import { TEST_REDIS_URL } from '../../support/test-environment.js';
import { TcpProxy } from '../notifications/tcp-proxy.js';
// The class files themselves: the package entry point pulls in modules Jest cannot load.
import {
  REVOCATION_CHECKS_SKIPPED_METRIC,
  RevocationCheckMetrics,
} from '../../../libs/guards/src/authentication/revocation-check.metrics.js';
import { RevocationUnavailableError } from '../../../libs/guards/src/authentication/revocation-unavailable.error.js';
import { RevokedSubjects } from '../../../libs/guards/src/authentication/revoked-subjects.js';

const TOKEN_LIFETIME_SECONDS = 905;
const quiet = { warn: () => undefined, log: () => undefined };

async function ready(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}

/** ADR 0042 against the real Redis, reached through a proxy the test can take down. */
describe('revoked subjects in Redis', () => {
  const redisUrl = new URL(TEST_REDIS_URL);
  const proxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  let throughProxy: RedisClient;
  let direct: RedisClient;
  let registry: Registry;
  let subjects: RevokedSubjects;
  const created: string[] = [];

  const revokedSubject = async (): Promise<string> => {
    const subject = randomUUID();
    created.push(`auth:revoked-subject:${subject}`);
    await subjects.revoke(subject);
    return subject;
  };
  const skippedChecks = async (): Promise<number> =>
    (await registry.getSingleMetric(REVOCATION_CHECKS_SKIPPED_METRIC)?.get())?.values[0]?.value ??
    0;

  beforeAll(async () => {
    await proxy.up();
    throughProxy = createRedisClient(`redis://127.0.0.1:${proxy.port}/0`, 'revoked-subjects-spec');
    throughProxy.on('error', () => undefined);
    direct = createRedisClient(TEST_REDIS_URL, 'revoked-subjects-spec-direct');
    await Promise.all([ready(throughProxy), ready(direct)]);
  });
  beforeEach(() => {
    registry = new Registry();
    subjects = new RevokedSubjects(
      throughProxy,
      TOKEN_LIFETIME_SECONDS,
      quiet,
      new RevocationCheckMetrics(registry),
    );
  });
  afterEach(async () => {
    await proxy.up().catch(() => undefined);
    await ready(throughProxy);
  });
  afterAll(async () => {
    if (created.length > 0) await direct.del(...created);
    throughProxy.disconnect();
    await direct.quit();
    await proxy.down();
  });

  it('keeps a revocation for one token lifetime, visible to every client of the Redis', async () => {
    const subject = await revokedSubject();

    await expect(subjects.isRevoked(subject)).resolves.toBe(true);
    await expect(subjects.isRevoked(randomUUID())).resolves.toBe(false);
    const ttl = await direct.ttl(`auth:revoked-subject:${subject}`);
    expect(ttl).toBeGreaterThan(TOKEN_LIFETIME_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(TOKEN_LIFETIME_SECONDS);
  });

  it('fails open while Redis is unreachable, counting each unchecked token, then checks again', async () => {
    const subject = await revokedSubject();
    await proxy.down();

    await expect(subjects.isRevoked(subject)).resolves.toBe(false);
    expect(await skippedChecks()).toBe(1);

    await proxy.up();
    await ready(throughProxy);
    await expect(subjects.isRevoked(subject)).resolves.toBe(true);
    expect(await skippedChecks()).toBe(1);
  });

  it('refuses to record a revocation while Redis is unreachable', async () => {
    await proxy.down();
    const subject = randomUUID();

    await expect(subjects.revoke(subject)).rejects.toBeInstanceOf(RevocationUnavailableError);

    expect(await direct.exists(`auth:revoked-subject:${subject}`)).toBe(0);
  });
});
