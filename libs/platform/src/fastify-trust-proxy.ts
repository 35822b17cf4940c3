import type { TrustProxy } from '#lib/config';

/**
 * HTTP_TRUST_PROXY in the form Fastify applies. Fastify fails closed on a bare hop count (it
 * trusts nothing), so a count becomes the equivalent proxy-addr function: trust the nearest `hops`
 * addresses of the forwarding chain. A count cannot check who the nearest peer is: use it only
 * where the app is reachable solely through its proxies; an address list can.
 */
export function fastifyTrustProxy(
  trust: TrustProxy,
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust === false ? false : [...trust];
}
