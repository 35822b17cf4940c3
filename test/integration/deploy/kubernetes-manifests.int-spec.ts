import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { schemaErrors, type KubernetesResource } from './support/kubernetes-schema.js';
import { renderKustomization } from './support/render-kustomization.js';
import { documentedVariables, SECRET_VARIABLES } from './support/repository.js';
import { containerEnvironment, ofKind, podTemplates, selects } from './support/workloads.js';

// The Secret each app reads its credentials from; production creates it outside the repository.
const APP_SECRETS = ['monolith-secrets'];
const APP_PORT = 3000;

const renders = {
  base: renderKustomization('k8s/base'),
  dev: renderKustomization('k8s/overlays/dev'),
  prod: renderKustomization('k8s/overlays/prod'),
};
const OVERLAYS = ['dev', 'prod'] as const;

const deploymentsOf = (resources: readonly KubernetesResource[]) =>
  ofKind(resources, Deployment.is);

describe('Kubernetes manifests', () => {
  describe.each(['base', 'dev', 'prod'] as const)('the %s kustomization', (name) => {
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
    expect(renders.base.filter((resource) => resource.metadata.namespace !== undefined)).toEqual(
      [],
    );
    for (const overlay of OVERLAYS) {
      const namespaces = new Set(
        renders[overlay].filter((r) => r.kind !== 'Namespace').map((r) => r.metadata.namespace),
      );
      expect(namespaces.size).toBe(1);
    }
    const namespaceOf = (resources: KubernetesResource[]) =>
      resources.find((r) => r.kind === 'Deployment')?.metadata.namespace;
    expect(namespaceOf(renders.dev)).not.toBe(namespaceOf(renders.prod));
  });

  describe.each(OVERLAYS)('the %s overlay', (overlay) => {
    const resources = renders[overlay];
    const externalSecrets = overlay === 'prod' ? APP_SECRETS : [];
    const deployments = deploymentsOf(resources);
    const templates = podTemplates(resources);

    it('ships a Deployment and a migration Job', () => {
      expect(deployments.map((d) => d.metadata?.name)).toContain('monolith');
      expect(ofKind(resources, Job.is).map((j) => j.metadata?.name)).toContain('monolith-migrate');
    });

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
          expect({ owner, readOnly: context?.readOnlyRootFilesystem }).toEqual({
            owner,
            readOnly: true,
          });
          expect({ owner, escalation: context?.allowPrivilegeEscalation }).toEqual({
            owner,
            escalation: false,
          });
          expect({ owner, drop: context?.capabilities?.drop }).toEqual({ owner, drop: ['ALL'] });
          expect({ owner, privileged: context?.privileged ?? false }).toEqual({
            owner,
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

    it('sets CPU and memory requests and a memory limit on every container', () => {
      for (const { owner, spec } of templates) {
        for (const container of spec.containers) {
          const { requests, limits } = container.resources ?? {};
          expect({
            owner,
            cpu: requests?.cpu,
            memory: requests?.memory,
            limit: limits?.memory,
          }).toEqual({
            owner,
            cpu: expect.anything(),
            memory: expect.anything(),
            limit: expect.anything(),
          });
        }
      }
    });

    it('probes liveness and startup on /health/live and readiness on /health/ready of the app port', () => {
      for (const deployment of deployments) {
        const container = deployment.spec!.template.spec!.containers[0];
        const port = container.ports?.find((p) => p.name === 'http');
        expect(port?.containerPort).toBe(APP_PORT);
        expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      }
    });

    it('gives pods a grace period longer than the app needs to drain after SIGTERM', () => {
      for (const deployment of deployments) {
        const spec = deployment.spec!.template.spec!;
        const environment = containerEnvironment(spec.containers[0], resources, externalSecrets);
        const drainMs = Number(environment.get('SHUTDOWN_GRACE_MS'));
        const readinessDelayMs = Number(environment.get('SHUTDOWN_READINESS_DELAY_MS'));
        expect(readinessDelayMs).toBeGreaterThan(0);
        expect(readinessDelayMs).toBeLessThan(drainMs);
        expect((spec.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(drainMs);
      }
    });

    it('configures the app to listen on its container port and leave migrations to the Job', () => {
      for (const deployment of deployments) {
        const container = deployment.spec!.template.spec!.containers[0];
        const environment = containerEnvironment(container, resources, externalSecrets);
        expect(environment.get('HTTP_PORT')).toBe(String(APP_PORT));
        expect(environment.get('DATABASE_RUN_MIGRATIONS')).toBe('false');
        expect(environment.get('HTTP_TRUST_PROXY')).toBe('true');
        expect(environment.get('APP')).toBe(deployment.metadata?.name);
      }
    });

    it('runs the migration Job with the same image, settings and Secret as the app', () => {
      const [job] = ofKind(resources, Job.is);
      const app = deployments.find((d) => d.metadata?.name === 'monolith')!.spec!.template.spec!
        .containers[0];
      const migrate = job.spec!.template.spec!.containers[0];
      expect(migrate.image).toBe(app.image);
      expect(migrate.args).toEqual(['node', 'dist/apps/monolith/src/migrate.js']);
      expect(migrate.envFrom).toEqual(app.envFrom);
      expect(job.spec!.template.spec!.restartPolicy).toBe('Never');
    });

    it('uses only variables the app documents, and keeps credentials out of ConfigMaps', () => {
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
      for (const deployment of deployments) {
        const name = deployment.metadata?.name;
        const podLabels = deployment.spec!.template.metadata?.labels ?? {};
        expect(deployment.spec?.replicas).toBeUndefined();
        const autoscaler = autoscalers.find(
          (a) =>
            a.spec?.scaleTargetRef.kind === 'Deployment' && a.spec.scaleTargetRef.name === name,
        );
        expect(autoscaler?.spec?.metrics?.map((m) => m.resource?.name)).toContain('cpu');
        expect(autoscaler!.spec!.minReplicas!).toBeLessThanOrEqual(autoscaler!.spec!.maxReplicas);
        const budget = budgets.find((b) => selects(b.spec?.selector?.matchLabels, podLabels));
        expect(budget?.spec?.minAvailable ?? budget?.spec?.maxUnavailable).toBeDefined();
      }
    });

    it('exposes each Deployment through a Service whose selector and target port match its pods', () => {
      for (const deployment of deployments) {
        const podLabels = deployment.spec!.template.metadata?.labels ?? {};
        const service = ofKind(resources, Service.is).find((s) =>
          selects(s.spec?.selector, podLabels),
        );
        expect(service?.metadata?.name).toBe(deployment.metadata?.name);
        const portNames = deployment.spec!.template.spec!.containers[0].ports?.map((p) => p.name);
        expect(portNames).toContain(service?.spec?.ports?.[0].targetPort);
        // The Job's pods share the app name but must never receive traffic.
        const jobLabels = ofKind(resources, Job.is).map(
          (j) => j.spec!.template.metadata?.labels ?? {},
        );
        expect(jobLabels.filter((labels) => selects(service?.spec?.selector, labels))).toEqual([]);
      }
    });

    it('denies all traffic by default and allows DNS to every pod', () => {
      const policies = ofKind(resources, NetworkPolicy.is);
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

    it('lets only the ingress controller and Prometheus reach the app, and the app reach its data services', () => {
      const policies = ofKind(resources, NetworkPolicy.is);
      for (const { owner, labels, spec } of templates) {
        const applying = policies.filter((p) => selects(p.spec?.podSelector.matchLabels, labels));
        const egressPorts = applying
          .flatMap((p) => p.spec?.egress ?? [])
          .flatMap((r) => r.ports ?? []);
        expect({ owner, ports: egressPorts.map((p) => p.port) }).toEqual({
          owner,
          ports: expect.arrayContaining([5432, 6379, 5672]),
        });
        if (owner.startsWith('Job')) continue;
        const ingressRules = applying.flatMap((p) => p.spec?.ingress ?? []);
        const sources = ingressRules.flatMap((rule) =>
          (rule.from ?? []).map(
            (peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'],
          ),
        );
        expect(sources.sort()).toEqual(['ingress-nginx', 'monitoring']);
        const ports = ingressRules.flatMap((rule) => (rule.ports ?? []).map((p) => p.port));
        expect(new Set(ports)).toEqual(new Set([APP_PORT]));
        expect(spec.containers[0].ports?.map((p) => p.containerPort)).toEqual([APP_PORT]);
      }
    });

    it('publishes the API, JWKS and docs through the nginx Ingress with a rate limit and the app body limit', () => {
      const [ingress] = ofKind(resources, Ingress.is);
      expect(ingress.spec?.ingressClassName).toBe('nginx');
      const annotations = ingress.metadata?.annotations ?? {};
      expect(Number(annotations['nginx.ingress.kubernetes.io/limit-rps'])).toBeGreaterThan(0);
      const bodyLimit = documentedVariables().get('HTTP_BODY_LIMIT_BYTES');
      expect(annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe(
        `${Number(bodyLimit) / 1024}k`,
      );
      const paths = ingress.spec?.rules?.flatMap((rule) => rule.http?.paths ?? []) ?? [];
      expect(paths.map((p) => p.path).sort()).toEqual(['/.well-known', '/docs', '/v1']);
      for (const path of paths) expect(path.backend.service?.name).toBe('monolith');
    });
  });

  it('runs the development overlay in development mode with placeholder credentials only', () => {
    const [secret] = ofKind(renders.dev, Secret.is);
    const databaseUrl = Buffer.from(secret.data!.DATABASE_URL, 'base64').toString('utf8');
    expect(databaseUrl).toContain('dev-only');
    const [deployment] = deploymentsOf(renders.dev);
    const environment = containerEnvironment(
      deployment.spec!.template.spec!.containers[0],
      renders.dev,
    );
    expect(environment.get('NODE_ENV')).toBe('development');
    expect(environment.get('JWT_DEV_KEY_DIR')).toMatch(/^\/tmp\//);
  });

  it('renders no Secret in production, runs in production mode and pins a registry image', () => {
    expect(ofKind(renders.prod, Secret.is)).toEqual([]);
    const [deployment] = deploymentsOf(renders.prod);
    const container = deployment.spec!.template.spec!.containers[0];
    expect(container.image).toMatch(/^[a-z0-9.-]+\.[a-z]+\/[a-z0-9/-]+:[0-9][\w.-]*$/);
    const environment = containerEnvironment(container, renders.prod, APP_SECRETS);
    expect(environment.get('NODE_ENV')).toBe('production');
    const [autoscaler] = ofKind(renders.prod, HorizontalPodAutoscaler.is);
    expect(autoscaler.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    const [budget] = ofKind(renders.prod, PodDisruptionBudget.is);
    expect(budget.spec?.minAvailable).toBe(1);
  });
});
