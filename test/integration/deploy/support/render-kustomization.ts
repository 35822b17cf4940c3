import { parseAllDocuments } from 'yaml';
import type { KubernetesResource } from './kubernetes-schema.js';
import { KUBECTL, runTool } from './required-tool.js';

/** `kubectl kustomize <dir>`: the exact resources `kubectl apply -k` would send, without a cluster. */
export function renderKustomization(directory: string): KubernetesResource[] {
  const run = runTool(KUBECTL, ['kustomize', directory]);
  if (run.status !== 0) throw new Error(`kubectl kustomize ${directory} failed:\n${run.output}`);
  return parseAllDocuments(run.stdout).map((document) => {
    if (document.errors.length > 0) throw new Error(document.errors.join('\n'));
    return unfoldSecretData(document.toJS() as KubernetesResource);
  });
}

// kustomize folds long base64 values over several lines; the API server's decoder skips the line
// breaks, so the schema check must see the value as the server does.
function unfoldSecretData(resource: KubernetesResource): KubernetesResource {
  if (resource.kind !== 'Secret' || typeof resource.data !== 'object' || resource.data === null) {
    return resource;
  }
  const data = Object.fromEntries(
    Object.entries(resource.data as Record<string, string>).map(([key, value]) => [
      key,
      value.replace(/\s/g, ''),
    ]),
  );
  return { ...resource, data };
}
