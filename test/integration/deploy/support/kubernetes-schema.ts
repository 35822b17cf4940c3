import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';

/** The fields every rendered resource has; the typed models narrow it further. */
export interface KubernetesResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly [field: string]: unknown };
  readonly [field: string]: unknown;
}

interface Validatable {
  validate(): void;
}

// The kinds this repository ships. A new kind fails validation until its model is listed here, so
// nothing reaches a cluster unchecked.
const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/**
 * Checks a resource against the Kubernetes OpenAPI schema of its kind (kubernetes-models): types,
 * required fields, enums and formats. It does not reject unknown fields, so tests still assert the
 * fields that matter (probes, security context) explicitly.
 */
export function schemaErrors(resource: KubernetesResource): string | undefined {
  const Model = MODELS[`${resource.apiVersion}/${resource.kind}`];
  const id = `${resource.kind} ${resource.metadata.name}`;
  if (!Model) return `${id}: no schema for ${resource.apiVersion} ${resource.kind}`;
  try {
    new Model(resource as never).validate();
    return undefined;
  } catch (error) {
    return `${id}: ${(error as Error).message}`;
  }
}
