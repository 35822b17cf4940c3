import { readRepoFile } from './repository.js';

/**
 * The path prefixes the split gateway (docker/nginx/split-gateway.conf.template) routes, each with
 * the app it names in `set $app`: `location ~ ^/v1/(users|auth)(/|$)` gives /v1/users and
 * /v1/auth, `location /.well-known/` gives /.well-known. Both forms match whole path segments, as
 * an Ingress `Prefix` path does, so the two can be compared prefix by prefix.
 */
export function splitGatewayRoutes(): Map<string, string> {
  const template = readRepoFile('docker/nginx/split-gateway.conf.template');
  const routes = new Map<string, string>();
  const locations = /location\s+(~\s+)?(\S+)\s*\{\s*set \$app (\w+);/g;
  for (const [, isRegex, pattern, app] of template.matchAll(locations)) {
    if (!isRegex) {
      routes.set(pattern.replace(/\/$/, ''), app);
      continue;
    }
    const [, head, alternatives] =
      /^\^(\/[\w/-]*?)\/?(?:\(([\w|-]+)\))?\(\/\|\$\)$/.exec(pattern) ?? [];
    if (head === undefined) throw new Error(`split gateway: cannot read location ~ ${pattern}`);
    for (const name of alternatives?.split('|') ?? ['']) {
      routes.set(name ? `${head}/${name}` : head, app);
    }
  }
  return routes;
}
