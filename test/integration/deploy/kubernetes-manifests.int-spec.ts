import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { AuthConfig, ServiceConfig } from '#lib/config';
import { SPLIT_APPS } from '../../../scripts/split-stack/split-stack.js';
import { type AppName, appConfiguration } from '../../support/app-configuration.js';
import { splitGatewayRoutes } from './support/gateway-routes.js';
import { schemaErrors, type KubernetesResource } from './support/kubernetes-schema.js';
import { renderKustomization } from './support/render-kustomization.js';
import {
  documentedVariables,
  readRepoFile,
  repoPath,
  SECRET_VARIABLES,
} from './support/repository.js';
import {
  containerEnvironment,
  ofKind,
  podTemplates,
  selectorMatches,
  selects,
} from './support/workloads.js';

const APP_PORT = 3000;
const JWKS_URL = `http://identity:${APP_PORT}/.well-known/jwks.json`;

// Every overlay in k8s/overlays, so a new one is checked without being listed here, plus the bases.
const OVERLAYS = readdirSync(repoPath('k8s/overlays')).sort();
const renders = Object.fromEntries([
  ['base', renderKustomization('k8s/base')],
  ['monolith base', renderKustomization('k8s/monolith')],
  ...OVERLAYS.map((overlay) => [overlay, renderKustomization(`k8s/overlays/${overlay}`)]),
]) as Record<string, KubernetesResource[]>;

/** The apps a rendering runs: the monolith overlay runs the monolith, the others split mode. */
const appsOf = (overlay: string): readonly string[] =>
  overlay === 'monolith' ? ['monolith'] : SPLIT_APPS;
/** Secrets that production creates outside the repository. */
const externalSecretsOf = (overlay: string): string[] =>
  overlay === 'dev' ? [] : appsOf(overlay).map((app) => `${app}-secrets`);
const deploymentsOf = (resources: readonly KubernetesResource[]) =>
  ofKind(resources, Deployment.is);
/**
 * The rows `| <app> | requests | events |` of the first Markdown table after `heading`: each split
 * app's request and event routing keys (backquoted), for operators who pre-declare the topology.
 */
function bindingTable(markdown: string, heading: string): Map<string, string[][]> {
  const after = markdown.slice(markdown.indexOf(heading));
  const rows = new Map<string, string[][]>();
  for (const line of after.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (!(SPLIT_APPS as readonly string[]).includes(cells[1] ?? '')) continue;
    if (rows.has(cells[1])) break;
    const keys = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort();
    rows.set(cells[1], [keys(cells[2]), keys(cells[3])]);
  }
  return rows;
}

const serverLabels = (app: string) => ({
  'app.kubernetes.io/name': app,
  'app.kubernetes.io/component': 'server',
});

describe('Kubernetes manifests', () => {
  it('has the dev and prod overlays for split mode and one for the monolith', () => {
    expect(OVERLAYS).toEqual(['dev', 'monolith', 'prod']);
  });

  describe.each(Object.keys(renders))('the %s kustomization', (name) => {
    it('renders only resources that are valid against the Kubernetes schema of their kind', () => {
      const resources = renders[name];
      expect(resources.length).toBeGreaterThan(5);
      expect(resources.map(schemaErrors).filter(Boolean)).toEqual([]);
    });
  });

  it('reports a resource that breaks its schema, so the validation above can fail', () => {
    const deployment = deploymentsOf(renders.prod)[0];
    const broken = structuredClone(deployment) as unknown as {
      spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } };
    };
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'three thousand';
    expect(schemaErrors(broken as unknown as KubernetesResource)).toMatch(
      /containerPort must be integer/,
    );
    expect(
      schemaErrors({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toMatch(/no schema for example.com\/v1 Widget/);
  });

  it('leaves the namespace to the overlays and gives each overlay its own', () => {
    for (const base of ['base', 'monolith base']) {
      expect(renders[base].filter((r) => r.metadata.namespace !== undefined)).toEqual([]);
    }
    const namespaceOf = (overlay: string) => {
      const namespaces = new Set(
        renders[overlay].filter((r) => r.kind !== 'Namespace').map((r) => r.metadata.namespace),
      );
      expect({ overlay, count: namespaces.size }).toEqual({ overlay, count: 1 });
      return [...namespaces][0];
    };
    expect(new Set(OVERLAYS.map(namespaceOf)).size).toBe(OVERLAYS.length);
  });

  describe.each(OVERLAYS)('the %s overlay', (overlay) => {
    const resources = renders[overlay];
    const apps = appsOf(overlay);
    const externalSecrets = externalSecretsOf(overlay);
    const deployments = deploymentsOf(resources);
    const jobs = ofKind(resources, Job.is);
    const templates = podTemplates(resources);
    const deployment = (app: string) => deployments.find((d) => d.metadata?.name === app)!;
    const environmentOf = (app: string) =>
      containerEnvironment(
        deployment(app).spec!.template.spec!.containers[0],
        resources,
        externalSecrets,
      );

    it('ships a Deployment and a migration Job for each of its apps, and nothing else', () => {
      expect(deployments.map((d) => d.metadata?.name).sort()).toEqual([...apps].sort());
      expect(jobs.map((j) => j.metadata?.name).sort()).toEqual(
        apps.map((app) => `${app}-migrate`).sort(),
      );
    });

    it.each(apps)(
      'runs %s from its own image, and migrates it with that image and its settings',
      (app) => {
        const server = deployment(app).spec!.template.spec!.containers[0];
        expect(server.image).toMatch(new RegExp(`(^|/)commerce/${app}(:[\\w.-]+)?$`));
        const job = jobs.find((j) => j.metadata?.name === `${app}-migrate`)!;
        const migrate = job.spec!.template.spec!.containers[0];
        expect(migrate.image).toBe(server.image);
        expect(migrate.args).toEqual(['node', `dist/bundle/${app}/migrate.mjs`]);
        expect(migrate.envFrom).toEqual(server.envFrom);
        expect(job.spec!.template.spec!.restartPolicy).toBe('Never');
      },
    );

    it('runs every pod as a non-root user under the runtime default seccomp profile', () => {
      for (const { owner, spec } of templates) {
        expect({ owner, runAsNonRoot: spec.securityContext?.runAsNonRoot }).toEqual({
          owner,
          runAsNonRoot: true,
        });
        expect({ owner, uid: (spec.securityContext?.runAsUser ?? 0) > 0 }).toEqual({
          owner,
          uid: true,
        });
        expect({ owner, seccomp: spec.securityContext?.seccompProfile?.type }).toEqual({
          owner,
          seccomp: 'RuntimeDefault',
        });
        expect({ owner, token: spec.automountServiceAccountToken }).toEqual({
          owner,
          token: false,
        });
      }
    });

    it('gives every container a read-only root filesystem, no capabilities and no privilege escalation', () => {
      for (const { owner, spec } of templates) {
        for (const container of spec.containers) {
          const context = container.securityContext;
          expect({
            owner,
            readOnly: context?.readOnlyRootFilesystem,
            escalation: context?.allowPrivilegeEscalation,
            drop: context?.capabilities?.drop,
            privileged: context?.privileged ?? false,
          }).toEqual({
            owner,
            readOnly: true,
            escalation: false,
            drop: ['ALL'],
            privileged: false,
          });
        }
      }
    });

    it('mounts a writable emptyDir on /tmp, the only place the app writes to', () => {
      for (const { owner, spec } of templates) {
        const mount = spec.containers[0].volumeMounts?.find((m) => m.mountPath === '/tmp');
        const volume = spec.volumes?.find((v) => v.name === mount?.name);
        expect({ owner, emptyDir: volume?.emptyDir !== undefined }).toEqual({
          owner,
          emptyDir: true,
        });
      }
    });

    it('sets CPU and memory requests and limits on every container', () => {
      for (const { owner, spec } of templates) {
        for (const container of spec.containers) {
          const { requests, limits } = container.resources ?? {};
          expect({
            owner,
            cpu: requests?.cpu,
            memory: requests?.memory,
            cpuLimit: limits?.cpu,
            memoryLimit: limits?.memory,
          }).toEqual({
            owner,
            cpu: expect.anything(),
            memory: expect.anything(),
            cpuLimit: expect.anything(),
            memoryLimit: expect.anything(),
          });
        }
      }
    });

    it('probes liveness and startup on /health/live and readiness on /health/ready of the app port', () => {
      for (const app of apps) {
        const container = deployment(app).spec!.template.spec!.containers[0];
        expect({
          app,
          port: container.ports?.find((p) => p.name === 'http')?.containerPort,
        }).toEqual({ app, port: APP_PORT });
        expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      }
    });

    it('gives pods a grace period longer than the preStop pause and the drain after SIGTERM together', () => {
      for (const app of apps) {
        const spec = deployment(app).spec!.template.spec!;
        const environment = environmentOf(app);
        const drainMs = Number(environment.get('SHUTDOWN_GRACE_MS'));
        const readinessDelayMs = Number(environment.get('SHUTDOWN_READINESS_DELAY_MS'));
        const [command, pause] = spec.containers[0].lifecycle?.preStop?.exec?.command ?? [];
        expect({ app, command }).toEqual({ app, command: 'sleep' });
        const preStopMs = Number(pause) * 1000;
        expect(preStopMs).toBeGreaterThan(0);
        expect(readinessDelayMs).toBeGreaterThan(0);
        expect(readinessDelayMs).toBeLessThan(drainMs);
        expect((spec.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(
          preStopMs + drainMs,
        );
      }
    });

    it('configures each app by name, on its container port, behind one proxy hop, migrations left to the Job', () => {
      for (const app of apps) {
        const environment = environmentOf(app);
        expect({
          app,
          port: environment.get('HTTP_PORT'),
          migrations: environment.get('DATABASE_RUN_MIGRATIONS'),
          trustProxy: environment.get('HTTP_TRUST_PROXY'),
          APP: environment.get('APP'),
          serviceName: environment.get('SERVICE_NAME'),
        }).toEqual({
          app,
          port: String(APP_PORT),
          migrations: 'false',
          trustProxy: '1',
          APP: app,
          serviceName: app === 'monolith' ? 'commerce-monolith' : app,
        });
      }
    });

    if (overlay !== 'monolith') {
      it('connects the split apps over RabbitMQ; all but identity verify tokens through its JWKS', () => {
        for (const app of apps) {
          const environment = environmentOf(app);
          expect({ app, transport: environment.get('MESSAGING_TRANSPORT') }).toEqual({
            app,
            transport: 'rmq',
          });
          expect({ app, jwks: environment.get('JWT_JWKS_URL') }).toEqual({
            app,
            jwks: app === 'identity' ? undefined : JWKS_URL,
          });
        }
        const identity = ofKind(resources, Service.is).find((s) => s.metadata?.name === 'identity');
        expect(identity?.spec?.ports?.[0].port).toBe(APP_PORT);
      });
    }

    it('gives each app an environment its own configuration validation accepts', () => {
      // What production's external Secrets hold, as placeholders: identity signs, so it has a key.
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const secretValues = (app: string): Record<string, string> =>
        externalSecrets.length === 0
          ? {}
          : {
              DATABASE_URL: 'postgres://commerce:secret@postgres:5432/commerce',
              REDIS_URL: 'redis://redis:6379/0',
              RABBITMQ_URL: 'amqp://commerce:secret@rabbitmq:5672',
              ...(['identity', 'monolith'].includes(app) && {
                JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
              }),
            };
      // Development mode generates a key pair into JWT_DEV_KEY_DIR: a private folder here.
      const keyDirectory = mkdtempSync(join(tmpdir(), 'k8s-config-'));
      try {
        for (const app of apps) {
          const environment = Object.fromEntries(environmentOf(app));
          const config = appConfiguration(app as AppName, {
            ...environment,
            ...secretValues(app),
            JWT_DEV_KEY_DIR: keyDirectory,
          });
          expect({ app, env: config.get(ServiceConfig).env }).toEqual({
            app,
            env: overlay === 'dev' ? 'development' : 'production',
          });
          expect(config.get(AuthConfig).jwks?.url).toBe(environment.JWT_JWKS_URL);
        }
      } finally {
        rmSync(keyDirectory, { recursive: true, force: true });
      }
    });

    it('uses only variables the apps document, and keeps credentials out of ConfigMaps', () => {
      const documented = documentedVariables();
      const known = (key: string): boolean => documented.has(key) || key === 'APP';
      for (const configMap of ofKind(resources, ConfigMap.is)) {
        const keys = Object.keys(configMap.data ?? {});
        expect(keys.filter((key) => !known(key))).toEqual([]);
        expect(keys.filter((key) => (SECRET_VARIABLES as readonly string[]).includes(key))).toEqual(
          [],
        );
      }
      for (const secret of ofKind(resources, Secret.is)) {
        expect(Object.keys(secret.data ?? {}).filter((key) => !known(key))).toEqual([]);
      }
    });

    it('leaves replicas to an autoscaler on CPU and protects every Deployment with a disruption budget', () => {
      const autoscalers = ofKind(resources, HorizontalPodAutoscaler.is);
      const budgets = ofKind(resources, PodDisruptionBudget.is);
      for (const app of apps) {
        const podLabels = deployment(app).spec!.template.metadata?.labels ?? {};
        expect(deployment(app).spec?.replicas).toBeUndefined();
        const autoscaler = autoscalers.find(
          (a) => a.spec?.scaleTargetRef.kind === 'Deployment' && a.spec.scaleTargetRef.name === app,
        );
        expect({ app, metrics: autoscaler?.spec?.metrics?.map((m) => m.resource?.name) }).toEqual({
          app,
          metrics: expect.arrayContaining(['cpu']),
        });
        expect(autoscaler!.spec!.minReplicas!).toBeLessThanOrEqual(autoscaler!.spec!.maxReplicas);
        const budget = budgets.find((b) => selects(b.spec?.selector?.matchLabels, podLabels));
        expect({ app, budget: budget?.spec?.minAvailable ?? budget?.spec?.maxUnavailable }).toEqual(
          {
            app,
            budget: expect.anything(),
          },
        );
      }
    });

    it('exposes each Deployment through a Service whose selector and target port match its pods', () => {
      for (const app of apps) {
        const podLabels = deployment(app).spec!.template.metadata?.labels ?? {};
        const service = ofKind(resources, Service.is).find((s) =>
          selects(s.spec?.selector, podLabels),
        );
        expect(service?.metadata?.name).toBe(app);
        const portNames = deployment(app).spec!.template.spec!.containers[0].ports?.map(
          (p) => p.name,
        );
        expect(portNames).toContain(service?.spec?.ports?.[0].targetPort);
        // The Job's pods share the app name but must never receive traffic.
        const jobLabels = jobs.map((j) => j.spec!.template.metadata?.labels ?? {});
        expect(jobLabels.filter((labels) => selects(service?.spec?.selector, labels))).toEqual([]);
      }
    });

    describe('network policies', () => {
      const policies = ofKind(resources, NetworkPolicy.is);
      const applying = (labels: Record<string, string>) =>
        policies.filter((p) => selectorMatches(p.spec?.podSelector, labels));
      const ingressRules = (app: string) =>
        applying(serverLabels(app)).flatMap((p) => p.spec?.ingress ?? []);
      const egressRules = (labels: Record<string, string>) =>
        applying(labels).flatMap((p) => p.spec?.egress ?? []);
      /** Whether `from` may open a connection to `to` on the port, as far as `to`'s ingress goes. */
      const admits = (to: string, from: Record<string, string>, port: number) =>
        ingressRules(to).some(
          (rule) =>
            (rule.ports ?? []).some((p) => p.port === port) &&
            (rule.from ?? []).some(
              (peer) =>
                peer.namespaceSelector === undefined && selectorMatches(peer.podSelector, from),
            ),
        );
      /** Whether pods with `labels` may open a connection to `to`'s server pods on the port. */
      const reaches = (labels: Record<string, string>, to: string, port: number) =>
        egressRules(labels).some(
          (rule) =>
            (rule.ports ?? []).some((p) => p.port === port) &&
            (rule.to ?? []).some(
              (peer) =>
                peer.namespaceSelector === undefined &&
                selectorMatches(peer.podSelector, serverLabels(to)),
            ),
        );

      it('deny all traffic by default and allow DNS to every pod', () => {
        const denyAll = policies.find(
          (p) =>
            Object.keys(p.spec?.podSelector ?? {}).length === 0 &&
            p.spec?.ingress === undefined &&
            p.spec?.egress === undefined,
        );
        expect(denyAll?.spec?.policyTypes).toEqual(expect.arrayContaining(['Ingress', 'Egress']));
        const dns = policies.find((p) =>
          p.spec?.egress?.some((rule) =>
            rule.ports?.some((port) => port.port === 53 && port.protocol === 'UDP'),
          ),
        );
        expect(dns?.spec?.podSelector).toEqual({});
      });

      it('exist for every app, and let every pod reach Postgres, Redis and RabbitMQ', () => {
        for (const app of apps) {
          const names = applying(serverLabels(app)).map((p) => p.metadata?.name);
          expect(names).toEqual(expect.arrayContaining([`${app}-ingress`, `${app}-egress`]));
        }
        for (const { owner, labels } of templates) {
          const ports = egressRules(labels).flatMap((r) => (r.ports ?? []).map((p) => p.port));
          expect({ owner, ports }).toEqual({
            owner,
            ports: expect.arrayContaining([5432, 6379, 5672]),
          });
        }
      });

      it('let the ingress controller and Prometheus reach each app on its port, and no other namespace', () => {
        for (const app of apps) {
          const rules = ingressRules(app);
          const namespaces = rules.flatMap((rule) =>
            (rule.from ?? [])
              .filter((peer) => peer.namespaceSelector !== undefined)
              .map((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']),
          );
          expect({ app, namespaces: namespaces.sort() }).toEqual({
            app,
            namespaces: ['ingress-nginx', 'monitoring'],
          });
          const ports = new Set(rules.flatMap((rule) => (rule.ports ?? []).map((p) => p.port)));
          expect({ app, ports }).toEqual({ app, ports: new Set([APP_PORT]) });
          const containerPorts = deployment(app).spec!.template.spec!.containers[0].ports;
          expect(containerPorts?.map((p) => p.containerPort)).toEqual([APP_PORT]);
        }
      });

      if (overlay !== 'monolith') {
        it('let the apps other than identity reach identity (its JWKS), and nothing else between apps', () => {
          for (const from of apps) {
            for (const to of apps) {
              if (from === to) continue;
              const allowed = to === 'identity';
              expect({ from, to, admitted: admits(to, serverLabels(from), APP_PORT) }).toEqual({
                from,
                to,
                admitted: allowed,
              });
              expect({ from, to, reaches: reaches(serverLabels(from), to, APP_PORT) }).toEqual({
                from,
                to,
                reaches: allowed,
              });
            }
          }
        });
      }
    });

    it('publishes the routes through the nginx Ingress with a rate limit and the app body limit', () => {
      const [ingress] = ofKind(resources, Ingress.is);
      expect(ingress.spec?.ingressClassName).toBe('nginx');
      const annotations = ingress.metadata?.annotations ?? {};
      expect(Number(annotations['nginx.ingress.kubernetes.io/limit-rps'])).toBeGreaterThan(0);
      const bodyLimit = documentedVariables().get('HTTP_BODY_LIMIT_BYTES');
      expect(annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe(
        `${Number(bodyLimit) / 1024}k`,
      );
      const paths = ingress.spec?.rules?.flatMap((rule) => rule.http?.paths ?? []) ?? [];
      expect(new Set(paths.map((p) => p.pathType))).toEqual(new Set(['Prefix']));
      const routes = new Map(paths.map((p) => [p.path, p.backend.service?.name]));
      const expected =
        overlay === 'monolith'
          ? new Map(['/v1', '/.well-known', '/docs'].map((path) => [path, 'monolith']))
          : // The same prefixes to the same apps as the split gateway.
            splitGatewayRoutes();
      expect(routes).toEqual(expected);
      for (const path of paths) expect(path.backend.service?.port?.name).toBe('http');
    });
  });

  it('reads the split gateway’s routes, so the Ingress comparison above compares something', () => {
    const routes = splitGatewayRoutes();
    expect(routes.get('/v1/users')).toBe('identity');
    expect(routes.get('/v1/auth')).toBe('identity');
    expect(routes.get('/.well-known')).toBe('identity');
    expect(routes.get('/v1/orders')).toBe('orders');
    expect(new Set(routes.values())).toEqual(new Set(SPLIT_APPS));
  });

  it('documents for operators the RabbitMQ bindings the architecture lists, app by app', () => {
    const documented = bindingTable(readRepoFile('k8s/README.md'), '## RabbitMQ topology');
    const architecture = bindingTable(
      readRepoFile('docs/architecture.md'),
      '## Split-mode topology',
    );
    expect([...documented.keys()].sort()).toEqual([...SPLIT_APPS].sort());
    expect(documented).toEqual(architecture);
  });

  it('runs the development overlay in development mode with placeholder credentials and one identity', () => {
    const secrets = ofKind(renders.dev, Secret.is);
    expect(secrets.map((s) => s.metadata?.name?.replace(/-[a-z0-9]{10}$/, '')).sort()).toEqual(
      SPLIT_APPS.map((app) => `${app}-secrets`).sort(),
    );
    for (const secret of secrets) {
      for (const key of ['DATABASE_URL', 'RABBITMQ_URL']) {
        const value = Buffer.from(secret.data![key], 'base64').toString('utf8');
        expect({ key, value }).toEqual({ key, value: expect.stringContaining('dev-only') });
      }
    }
    for (const deployment of deploymentsOf(renders.dev)) {
      const environment = containerEnvironment(
        deployment.spec!.template.spec!.containers[0],
        renders.dev,
      );
      expect(environment.get('NODE_ENV')).toBe('development');
      expect(environment.get('JWT_DEV_KEY_DIR')).toMatch(/^\/tmp\//);
    }
    // Each identity pod would generate its own development key: exactly one may run.
    const identity = ofKind(renders.dev, HorizontalPodAutoscaler.is).find(
      (a) => a.spec?.scaleTargetRef.name === 'identity',
    );
    expect(identity?.spec?.maxReplicas).toBe(1);
  });

  it.each(['prod', 'monolith'])(
    'renders no Secret in %s, runs in production mode from pinned registry images, at least two of each',
    (overlay) => {
      const resources = renders[overlay];
      expect(ofKind(resources, Secret.is)).toEqual([]);
      for (const { owner, spec } of podTemplates(resources)) {
        expect({ owner, image: spec.containers[0].image }).toEqual({
          owner,
          image: expect.stringMatching(/^[a-z0-9.-]+\.[a-z]+\/[a-z0-9/-]+:[0-9][\w.-]*$/),
        });
      }
      for (const deployment of deploymentsOf(resources)) {
        const environment = containerEnvironment(
          deployment.spec!.template.spec!.containers[0],
          resources,
          externalSecretsOf(overlay),
        );
        expect(environment.get('NODE_ENV')).toBe('production');
      }
      for (const autoscaler of ofKind(resources, HorizontalPodAutoscaler.is)) {
        expect(autoscaler.spec?.minReplicas).toBeGreaterThanOrEqual(2);
      }
      for (const budget of ofKind(resources, PodDisruptionBudget.is)) {
        expect(budget.spec?.minAvailable).toBe(1);
      }
    },
  );
});
