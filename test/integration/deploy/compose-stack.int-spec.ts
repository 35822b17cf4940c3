import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthConfig, HttpConfig, ServiceConfig } from '#lib/config';
import { parse } from 'yaml';
import {
  renderGatewayConfig,
  SPLIT_APPS,
  type Upstreams,
} from '../../../scripts/split-stack/split-stack.js';
import { appConfiguration } from '../../support/app-configuration.js';
import { documentedVariables, readRepoFile, repoPath } from './support/repository.js';
import { DOCKER_COMPOSE, ENVSUBST, runTool } from './support/required-tool.js';

interface ComposeService {
  profiles?: string[];
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
  stop_grace_period?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  volumes?: string[];
  ports?: string[];
}

// `merge` resolves the `<<:` keys the file uses to share builds, environments and settings.
const compose = parse(readRepoFile('docker/compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.yml has no service ${name}`);
  return found;
};
const servicesOf = (profile: string): string[] =>
  Object.entries(compose.services)
    .filter(([, s]) => s.profiles?.includes(profile))
    .map(([name]) => name)
    .sort();
const seconds = (duration: string | undefined): number =>
  Number(/^(\d+)s$/.exec(duration ?? '')?.[1]);
/** Compose reads `$$` as a literal `$`. */
const composeValue = (value: string | undefined): string | undefined =>
  value?.replace(/\$\$/g, '$');

/**
 * The environment each service gets, as Compose resolves it (`${NAME:-default}` interpolated) on a
 * machine that sets none of the variables the file reads.
 */
function resolvedEnvironments(): Record<string, Record<string, string>> {
  const run = runTool(DOCKER_COMPOSE, ['-f', 'docker/compose.yml', 'config'], {
    env: { PATH: process.env.PATH },
  });
  if (run.status !== 0) throw new Error(`docker-compose config failed:\n${run.output}`);
  const resolved = parse(run.stdout) as { services: Record<string, ComposeService> };
  return Object.fromEntries(
    Object.entries(resolved.services).map(([name, s]) => [name, s.environment ?? {}]),
  );
}

const INFRA = ['postgres', 'rabbitmq', 'redis'];
const OBSERVABILITY = ['prometheus', 'grafana', 'otel-collector', 'jaeger', 'loki', 'vector'];
const APPS = ['monolith', ...SPLIT_APPS] as const;
const HEALTHY_DATA_SERVICES = {
  postgres: { condition: 'service_healthy' },
  redis: { condition: 'service_healthy' },
  rabbitmq: { condition: 'service_healthy' },
};

describe('docker/compose.yml', () => {
  it('is a valid Compose file (docker-compose config)', () => {
    const run = runTool(DOCKER_COMPOSE, ['-f', 'docker/compose.yml', 'config', '--quiet']);
    expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: '' });
  });

  it('puts every service in a profile: infra is the data services alone', () => {
    const unprofiled = Object.entries(compose.services).filter(([, s]) => !s.profiles?.length);
    expect(unprofiled.map(([name]) => name)).toEqual([]);
    expect(servicesOf('infra')).toEqual(INFRA);
    for (const name of INFRA) {
      expect({ name, published: service(name).ports?.length }).toEqual({
        name,
        published: expect.any(Number),
      });
    }
  });

  it('split: the data services and a replica, each app with its migration, the gateway, observability', () => {
    expect(servicesOf('split')).toEqual(
      [
        ...INFRA,
        'postgres-replica',
        ...SPLIT_APPS.flatMap((app) => [app, `${app}-migrate`]),
        'gateway',
        ...OBSERVABILITY,
      ].sort(),
    );
    expect(servicesOf('monolith')).toEqual(
      [
        ...INFRA,
        'postgres-replica',
        'monolith',
        'monolith-migrate',
        'nginx',
        ...OBSERVABILITY,
      ].sort(),
    );
  });

  it('health-checks the data services and both gateways', () => {
    for (const name of [...INFRA, 'nginx', 'gateway']) {
      expect({ name, test: service(name).healthcheck?.test[0] }).toEqual({ name, test: 'CMD' });
    }
    expect(service('postgres').image).toBe('postgres:16-alpine');
    expect(service('redis').image).toBe('redis:7-alpine');
    expect(service('rabbitmq').image).toBe('rabbitmq:3-management-alpine');
  });

  describe.each(APPS)('the %s app', (app) => {
    const server = service(app);
    const migrate = service(`${app}-migrate`);

    it('is built from docker/Dockerfile with APP set to it, as its own image', () => {
      expect(server.build).toMatchObject({ context: '..', dockerfile: 'docker/Dockerfile' });
      // The monolith is the Dockerfile's default APP.
      expect(server.build?.args?.APP ?? 'monolith').toBe(app);
      expect(server.image).toBe(`commerce/${app}:local`);
    });

    it('migrates once with its own image and migration entry point, and never from the app', () => {
      expect(migrate.command).toEqual(['node', `dist/bundle/${app}/migrate.mjs`]);
      expect(existsSync(repoPath(`apps/${app}/src/migrate.ts`))).toBe(true);
      expect(migrate.build).toEqual(server.build);
      expect(migrate.image).toBe(server.image);
      expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
      expect(server.environment?.DATABASE_RUN_MIGRATIONS).toBe('false');
    });

    it('starts once its data services are healthy and its migration has completed', () => {
      expect(server.depends_on).toEqual({
        ...HEALTHY_DATA_SERVICES,
        [`${app}-migrate`]: { condition: 'service_completed_successfully' },
      });
    });

    it('gets longer to stop than it takes to drain', () => {
      expect(seconds(server.stop_grace_period) * 1000).toBeGreaterThan(
        Number(server.environment?.SHUTDOWN_GRACE_MS),
      );
    });

    it('runs read-only and without capabilities, writing only to a tmpfs /tmp', () => {
      for (const container of [server, migrate]) {
        expect(container.read_only).toBe(true);
        expect(container.cap_drop).toEqual(['ALL']);
        expect(container.tmpfs).toEqual(['/tmp']);
      }
      expect(server.environment?.JWT_DEV_KEY_DIR).toMatch(/^\/tmp\//);
    });

    it('trusts exactly one proxy hop (the gateway) and is named by SERVICE_NAME', () => {
      expect(server.environment?.HTTP_TRUST_PROXY).toBe('1');
      expect(server.environment?.SERVICE_NAME).toBe(app === 'monolith' ? 'commerce-monolith' : app);
      expect(migrate.environment?.SERVICE_NAME).toBe(server.environment?.SERVICE_NAME);
    });

    it('passes the app’s own configuration validation, as the app reads it', () => {
      // Development mode generates a key pair into JWT_DEV_KEY_DIR: a private folder here.
      const keyDirectory = mkdtempSync(join(tmpdir(), 'compose-config-'));
      const environments = resolvedEnvironments();
      try {
        for (const name of [app, `${app}-migrate`]) {
          const environment = environments[name];
          const config = appConfiguration(app, { ...environment, JWT_DEV_KEY_DIR: keyDirectory });
          expect(config.get(ServiceConfig).env).toBe('development');
          expect(config.get(ServiceConfig).name).toBe(server.environment?.SERVICE_NAME);
          expect(config.get(HttpConfig).trustProxy).toBe(1);
          expect(config.get(AuthConfig).jwks?.url).toBe(environment.JWT_JWKS_URL || undefined);
        }
      } finally {
        rmSync(keyDirectory, { recursive: true, force: true });
      }
    });

    it('is given only variables the app documents', () => {
      const documented = documentedVariables();
      for (const environment of [server.environment, migrate.environment]) {
        const unknown = Object.keys(environment ?? {}).filter((key) => !documented.has(key));
        expect({ app, unknown }).toEqual({ app, unknown: [] });
      }
    });
  });

  describe.each(SPLIT_APPS)('the split app %s', (app) => {
    const environment = service(app).environment ?? {};

    it('talks to the other apps over RabbitMQ', () => {
      expect(environment.MESSAGING_TRANSPORT).toBe('rmq');
      expect(new URL(environment.RABBITMQ_URL).hostname).toBe('rabbitmq');
      expect(service(`${app}-migrate`).environment?.MESSAGING_TRANSPORT).toBe('rmq');
    });

    it(
      app === 'identity'
        ? 'holds the signing key and verifies with it'
        : 'verifies tokens through identity’s JWKS, without a key of its own',
      () => {
        if (app === 'identity') {
          expect(environment.JWT_JWKS_URL ?? '').toBe('');
          expect(environment).toHaveProperty('JWT_PRIVATE_KEY');
        } else {
          expect(environment.JWT_JWKS_URL).toBe('http://identity:3000/.well-known/jwks.json');
          expect(environment).not.toHaveProperty('JWT_PRIVATE_KEY');
          expect(environment).not.toHaveProperty('JWT_PUBLIC_KEY');
        }
      },
    );
  });

  it('monolith: keeps messaging in process and sits behind nginx/nginx.conf', () => {
    expect(service('monolith').environment?.MESSAGING_TRANSPORT).toBeUndefined();
    expect(service('nginx').depends_on).toEqual({ monolith: { condition: 'service_healthy' } });
  });

  describe('the split gateway', () => {
    const gateway = service('gateway');
    const environment = gateway.environment ?? {};

    it('waits for every split app to be healthy', () => {
      expect(gateway.depends_on).toEqual(
        Object.fromEntries(SPLIT_APPS.map((app) => [app, { condition: 'service_healthy' }])),
      );
    });

    it('mounts the split template where the nginx image renders it into /etc/nginx/nginx.conf', () => {
      expect(gateway.image).toMatch(/^nginx:[\d.]+-alpine$/);
      expect(gateway.volumes).toEqual(
        expect.arrayContaining([
          './nginx/split-gateway.conf.template:/etc/nginx/templates/nginx.conf.template:ro',
          './nginx/gateway-common.conf:/etc/nginx/gateway-common.conf:ro',
          './nginx/gateway-errors.conf:/etc/nginx/gateway-errors.conf:ro',
        ]),
      );
      expect(environment.NGINX_ENVSUBST_OUTPUT_DIR).toBe('/etc/nginx');
      expect(gateway.ports).toEqual([`${environment.GATEWAY_PORT}:${environment.GATEWAY_PORT}`]);
    });

    it('renders, as the image does (envsubst of the filtered variables), the gateway start:split renders', () => {
      // The image's entrypoint substitutes the environment variables whose names match
      // NGINX_ENVSUBST_FILTER; NGINX's own $variables must come through untouched.
      const filter = new RegExp(composeValue(environment.NGINX_ENVSUBST_FILTER) ?? '');
      const substituted = Object.keys(environment).filter((name) => filter.test(name));
      expect(substituted.sort()).toEqual(
        ['GATEWAY_PORT', ...SPLIT_APPS.map((app) => `${app.toUpperCase()}_UPSTREAM`)].sort(),
      );
      const run = runTool(ENVSUBST, [substituted.map((name) => `\${${name}}`).join(' ')], {
        input: readRepoFile('docker/nginx/split-gateway.conf.template'),
        env: { PATH: process.env.PATH, ...environment },
      });
      expect(run.status).toBe(0);
      const upstreams = Object.fromEntries(
        SPLIT_APPS.map((app) => [app, `${app}:3000`]),
      ) as Upstreams;
      expect(run.stdout).toBe(renderGatewayConfig(Number(environment.GATEWAY_PORT), upstreams));
    });
  });

  it('mounts configuration files that exist in the repository', () => {
    const sources = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((volume) => volume.split(':')[0])
      .filter((source) => source.startsWith('./'));
    expect(sources).toEqual(
      expect.arrayContaining([
        './nginx/nginx.conf',
        './nginx/split-gateway.conf.template',
        './prometheus/prometheus.yml',
        './prometheus/alerts.yml',
      ]),
    );
    expect(sources.filter((source) => !existsSync(repoPath('docker', source)))).toEqual([]);
  });
});
