import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { SPLIT_APPS } from '../../../scripts/split-stack/split-stack.js';
import { schemaErrors, type KubernetesResource } from './support/kubernetes-schema.js';
import { renderKustomization } from './support/render-kustomization.js';
import { repoPath } from './support/repository.js';
import { ofKind, selectorMatches } from './support/workloads.js';

// The optional Linkerd component (k8s/components/linkerd) rendered onto every overlay and validated
// like the overlays themselves, and the network policies of split mode compared edge by edge with
// what the architecture needs: nothing more, nothing less.

const OVERLAYS = ['dev', 'prod', 'monolith'];
const DATA_SERVICE_PORTS = [5432, 6379, 5672];
const APP_PORT = 3000;
const LINKERD = 'linkerd.io/inject';

/**
 * kustomize refuses absolute paths, so a copy of k8s/ gets an overlay per existing one that adds
 * the component, as an operator's overlay would.
 */
function renderWithMesh(): Record<string, KubernetesResource[]> {
  const root = mkdtempSync(join(tmpdir(), 'k8s-mesh-'));
  try {
    cpSync(repoPath('k8s'), join(root, 'k8s'), { recursive: true });
    return Object.fromEntries(
      OVERLAYS.map((overlay) => {
        const directory = join(root, 'k8s/overlays', `${overlay}-linkerd`);
        mkdirSync(directory);
        writeFileSync(
          join(directory, 'kustomization.yaml'),
          [
            'apiVersion: kustomize.config.k8s.io/v1beta1',
            'kind: Kustomization',
            'resources:',
            `  - ../${overlay}`,
            'components:',
            '  - ../../components/linkerd',
            '',
          ].join('\n'),
        );
        return [overlay, renderKustomization(directory)];
      }),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const meshed = renderWithMesh();
const plain = Object.fromEntries(
  OVERLAYS.map((overlay) => [overlay, renderKustomization(`k8s/overlays/${overlay}`)]),
);

describe.each(OVERLAYS)('the %s overlay with the Linkerd component', (overlay) => {
  const resources = meshed[overlay];
  const deployments = ofKind(resources, Deployment.is);
  const jobs = ofKind(resources, Job.is);

  it('renders the same resources, each valid against its schema', () => {
    expect(resources.map((resource) => `${resource.kind}/${resource.metadata?.name}`)).toEqual(
      plain[overlay].map((resource) => `${resource.kind}/${resource.metadata?.name}`),
    );
    expect(resources.map(schemaErrors).filter(Boolean)).toEqual([]);
  });

  it('injects the proxy into every app, started before it and outliving its drain', () => {
    expect(deployments.length).toBeGreaterThan(0);
    for (const deployment of deployments) {
      const name = deployment.metadata?.name;
      const template = deployment.spec?.template;
      const annotations = template?.metadata?.annotations ?? {};
      expect({ name, inject: annotations[LINKERD] }).toEqual({ name, inject: 'enabled' });
      expect(annotations['config.linkerd.io/proxy-await']).toBe('enabled');
      // The proxy must serve the preStop sleep and the app's drain, and leave before the kubelet
      // kills the pod.
      const preStop = template?.spec?.containers[0].lifecycle?.preStop?.exec?.command ?? [];
      const preStopSeconds = Number(/sleep (\d+)/.exec(preStop.join(' '))?.[1] ?? 0);
      const waitSeconds = Number(
        annotations['config.alpha.linkerd.io/proxy-wait-before-exit-seconds'],
      );
      expect(waitSeconds).toBeGreaterThanOrEqual(preStopSeconds + 25);
      expect(waitSeconds).toBeLessThan(template?.spec?.terminationGracePeriodSeconds ?? 0);
    }
  });

  it('leaves the data services to the apps’ own retries: their ports bypass the proxy', () => {
    for (const deployment of deployments) {
      const skipped = deployment.spec?.template.metadata?.annotations?.[
        'config.linkerd.io/skip-outbound-ports'
      ]
        ?.split(',')
        .map(Number);
      expect(skipped).toEqual(DATA_SERVICE_PORTS);
    }
  });

  it('configures no retries in the mesh and keeps the migration Jobs out of it', () => {
    const retryKeys = JSON.stringify(resources).match(/retry\.linkerd\.io|isRetryable/g) ?? [];
    expect(retryKeys).toEqual([]);
    expect(resources.filter((resource) => resource.kind === 'ServiceProfile')).toEqual([]);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      expect(job.spec?.template.metadata?.annotations?.[LINKERD]).toBe('disabled');
    }
  });

  it('is optional: without it no pod is meshed', () => {
    expect(JSON.stringify(plain[overlay])).not.toContain('linkerd.io');
  });
});

describe.each(['dev', 'prod'])('the network policies of the %s overlay', (overlay) => {
  const policies = ofKind(plain[overlay], NetworkPolicy.is);
  const server = (app: string) => ({
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/component': 'server',
  });
  const applying = (labels: Record<string, string>) =>
    policies.filter((policy) => selectorMatches(policy.spec?.podSelector, labels));
  const port = (value: number | string | undefined) => Number(value);

  /** Every (source, port) an app's server pods admit, named by namespace or app. */
  function ingressEdges(app: string): string[] {
    return applying(server(app))
      .flatMap((policy) => policy.spec?.ingress ?? [])
      .flatMap((rule) =>
        (rule.from ?? []).flatMap((peer) =>
          (rule.ports ?? []).flatMap((p) => {
            const namespace = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
            const named = peer.podSelector?.matchLabels?.['app.kubernetes.io/name'];
            // `app.kubernetes.io/name In [...]`: one edge per app listed.
            const listed = (peer.podSelector?.matchExpressions ?? [])
              .filter((e) => e.key === 'app.kubernetes.io/name' && e.operator === 'In')
              .flatMap((e) => e.values ?? []);
            const sources = namespace
              ? [`${namespace}/${named}`]
              : named
                ? [named]
                : listed.length > 0
                  ? listed
                  : ['any'];
            return sources.map((source) => `${source}:${port(p.port)}`);
          }),
        ),
      )
      .sort();
  }

  /** Every (destination, port) an app's pods may open, `any` when the rule names no peer. */
  function egressEdges(labels: Record<string, string>): string[] {
    return [
      ...new Set(
        applying(labels)
          .flatMap((policy) => policy.spec?.egress ?? [])
          .flatMap((rule) =>
            (rule.ports ?? []).flatMap((p) =>
              (rule.to ?? [{}]).map((peer) => {
                const namespace =
                  peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
                const name =
                  peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] ??
                  peer.podSelector?.matchLabels?.['k8s-app'];
                const destination = namespace ? `${namespace}/${name}` : (name ?? 'any');
                return `${destination}:${port(p.port)}/${p.protocol ?? 'TCP'}`;
              }),
            ),
          ),
      ),
    ].sort();
  }

  it.each([...SPLIT_APPS])(
    'let into %s exactly the ingress controller, Prometheus, and (identity) the other apps',
    (app) => {
      const fromApps =
        app === 'identity'
          ? SPLIT_APPS.filter((other) => other !== 'identity').map(
              (other) => `${other}:${APP_PORT}`,
            )
          : [];
      expect(ingressEdges(app)).toEqual(
        [
          `ingress-nginx/ingress-nginx:${APP_PORT}`,
          `monitoring/prometheus:${APP_PORT}`,
          ...fromApps,
        ].sort(),
      );
    },
  );

  it.each([...SPLIT_APPS])(
    'let %s open exactly its database, Redis, the broker, DNS and (but identity) identity',
    (app) => {
      // The data services may be managed ones outside the cluster, so their rules name a port,
      // not a peer; each app reaches only its own database through its own credentials
      // (DATABASE_URL in its Secret, a schema per context).
      const expected = [
        ...DATA_SERVICE_PORTS.map((p) => `any:${p}/TCP`),
        'kube-system/kube-dns:53/TCP',
        'kube-system/kube-dns:53/UDP',
        ...(app === 'identity' ? [] : [`identity:${APP_PORT}/TCP`]),
      ].sort();
      expect(egressEdges(server(app))).toEqual(expected);
      // The migration Job's pods: the same, less nothing they would not need to start.
      expect(
        egressEdges({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': 'migration' }),
      ).toEqual(expected);
    },
  );
});
