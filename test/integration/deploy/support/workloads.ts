import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Secret } from 'kubernetes-models/v1';
import type { KubernetesResource } from './kubernetes-schema.js';

/** A pod template with the resource that owns it, named for failure messages. */
export interface PodTemplate {
  readonly owner: string;
  readonly labels: Record<string, string>;
  readonly spec: IPodSpec;
}

export function podTemplates(resources: readonly KubernetesResource[]): PodTemplate[] {
  const templates: PodTemplate[] = [];
  for (const resource of resources) {
    if (Deployment.is(resource) || Job.is(resource)) {
      const template = resource.spec?.template;
      if (!template?.spec)
        throw new Error(`${resource.kind} ${resource.metadata?.name} has no pod spec`);
      templates.push({
        owner: `${resource.kind} ${resource.metadata?.name}`,
        labels: template.metadata?.labels ?? {},
        spec: template.spec,
      });
    }
  }
  return templates;
}

export const selects = (
  matchLabels: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean =>
  matchLabels !== undefined &&
  Object.keys(matchLabels).length > 0 &&
  Object.entries(matchLabels).every(([key, value]) => labels[key] === value);

/**
 * The environment a container starts with, as the kubelet assembles it: every referenced ConfigMap
 * and Secret in order, then `env`. A reference to a missing object is an error, except Secrets
 * listed in `externalSecrets` (created outside the repository).
 */
export function containerEnvironment(
  container: IContainer,
  resources: readonly KubernetesResource[],
  externalSecrets: readonly string[] = [],
): Map<string, string> {
  const environment = new Map<string, string>();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const name = source.configMapRef.name;
      const configMap = resources.find((r) => ConfigMap.is(r) && r.metadata?.name === name);
      if (!configMap || !ConfigMap.is(configMap))
        throw new Error(`ConfigMap ${name} is not rendered`);
      for (const [key, value] of Object.entries(configMap.data ?? {})) environment.set(key, value);
    }
    if (source.secretRef) {
      const name = source.secretRef.name;
      if (name !== undefined && externalSecrets.includes(name)) continue;
      const secret = resources.find((r) => Secret.is(r) && r.metadata?.name === name);
      if (!secret || !Secret.is(secret)) throw new Error(`Secret ${name} is not rendered`);
      for (const [key, value] of Object.entries(secret.data ?? {})) {
        environment.set(key, Buffer.from(value, 'base64').toString('utf8'));
      }
      for (const [key, value] of Object.entries(secret.stringData ?? {}))
        environment.set(key, value);
    }
  }
  for (const variable of container.env ?? []) environment.set(variable.name, variable.value ?? '');
  return environment;
}

/** Resources of one kind, typed by the model's guard. */
export const ofKind = <T>(
  resources: readonly KubernetesResource[],
  guard: (value: unknown) => value is T,
): T[] => resources.filter((resource): resource is KubernetesResource & T => guard(resource));

/** A label selector with `matchExpressions`, as a NetworkPolicy peer or a PDB may use. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }[];
}

/**
 * Whether a selector picks pods with these labels, as the API server reads it (an empty selector
 * picks every pod). Unknown operators throw, so a typo cannot pass as "selects nothing".
 */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (selector === undefined) return false;
  const labelsMatch = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  const expressionsMatch = (selector.matchExpressions ?? []).every(
    ({ key, operator, values = [] }) => {
      switch (operator) {
        case 'In':
          return values.includes(labels[key]);
        case 'NotIn':
          return !values.includes(labels[key]);
        case 'Exists':
          return key in labels;
        case 'DoesNotExist':
          return !(key in labels);
        default:
          throw new Error(`unknown selector operator ${operator}`);
      }
    },
  );
  return labelsMatch && expressionsMatch;
}
