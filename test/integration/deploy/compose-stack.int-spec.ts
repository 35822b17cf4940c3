import { existsSync } from 'node:fs';
import { parse } from 'yaml';
import { documentedVariables, readRepoFile, repoPath } from './support/repository.js';
import { DOCKER_COMPOSE, runTool } from './support/required-tool.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
  stop_grace_period?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  volumes?: string[];
}

// `merge` resolves the `<<:` keys the file uses to share the app's build and environment.
const compose = parse(readRepoFile('docker/compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.yml has no service ${name}`);
  return found;
};
const seconds = (duration: string | undefined): number =>
  Number(/^(\d+)s$/.exec(duration ?? '')?.[1]);

describe('docker/compose.yml', () => {
  it('is a valid Compose file (docker-compose config)', () => {
    const run = runTool(DOCKER_COMPOSE, ['-f', 'docker/compose.yml', 'config', '--quiet']);
    expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: '' });
  });

  it('health-checks Postgres, Redis, RabbitMQ and the gateway', () => {
    for (const name of ['postgres', 'redis', 'rabbitmq', 'nginx']) {
      expect({ name, test: service(name).healthcheck?.test[0] }).toEqual({ name, test: 'CMD' });
    }
    expect(service('postgres').image).toBe('postgres:16-alpine');
    expect(service('redis').image).toBe('redis:7-alpine');
    expect(service('rabbitmq').image).toBe('rabbitmq:3-management-alpine');
  });

  it('starts the app only once its data services are healthy and the migration has completed', () => {
    expect(service('monolith').depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(service('nginx').depends_on).toEqual({ monolith: { condition: 'service_healthy' } });
  });

  it('migrates with the app image and the migration entry point, and never from the app', () => {
    const migrate = service('migrate');
    const app = service('monolith');
    expect(migrate.command).toEqual(['node', 'dist/apps/monolith/src/migrate.js']);
    expect(migrate.build).toEqual(app.build);
    expect(migrate.image).toBe(app.image);
    expect(app.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    expect(app.environment?.DATABASE_RUN_MIGRATIONS).toBe('false');
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('gives the app longer to stop than it takes to drain', () => {
    const app = service('monolith');
    expect(seconds(app.stop_grace_period) * 1000).toBeGreaterThan(
      Number(app.environment?.SHUTDOWN_GRACE_MS),
    );
  });

  it('runs the app read-only and without capabilities, writing only to a tmpfs /tmp', () => {
    const app = service('monolith');
    expect(app.read_only).toBe(true);
    expect(app.cap_drop).toEqual(['ALL']);
    expect(app.tmpfs).toEqual(['/tmp']);
    expect(app.environment?.JWT_DEV_KEY_DIR).toMatch(/^\/tmp\//);
  });

  it('passes the app only variables it documents', () => {
    const documented = documentedVariables();
    for (const name of ['monolith', 'migrate']) {
      const unknown = Object.keys(service(name).environment ?? {}).filter(
        (key) => !documented.has(key) && key !== 'APP',
      );
      expect({ name, unknown }).toEqual({ name, unknown: [] });
    }
  });

  it('mounts configuration files that exist in the repository', () => {
    const sources = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((volume) => volume.split(':')[0])
      .filter((source) => source.startsWith('./'));
    expect(sources).toEqual(
      expect.arrayContaining([
        './nginx/nginx.conf',
        './prometheus/prometheus.yml',
        './prometheus/alerts.yml',
      ]),
    );
    expect(sources.filter((source) => !existsSync(repoPath('docker', source)))).toEqual([]);
  });
});
