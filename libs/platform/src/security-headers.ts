import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify from 'fastify';

// An API answers JSON only, so it may forbid everything; swagger-ui at /docs needs its inline code.
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
export const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'";

/** Helmet as every app registers it; the CSP is set per answer (API or docs), not by helmet. */
export const HELMET_OPTIONS = {
  global: true,
  contentSecurityPolicy: false,
  crossOriginResourcePolicy: { policy: 'same-site' },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
} satisfies FastifyHelmetOptions;

/**
 * The security headers of an API answer, for the answers no hook decorates: a request the router
 * or Node's HTTP parser refuses never reaches helmet's hook. They are read off helmet itself (the
 * headers one answer gains when helmet is registered with our options), so the refusals carry
 * exactly what every other answer carries, whatever a helmet upgrade adds or changes.
 */
export async function apiSecurityHeaders(): Promise<Readonly<Record<string, string>>> {
  const answerHeaders = async (withHelmet: boolean): Promise<Record<string, string>> => {
    const probe = Fastify();
    if (withHelmet) await probe.register(fastifyHelmet, HELMET_OPTIONS);
    probe.get('/', () => 'probe');
    try {
      const answer = await probe.inject({ method: 'GET', url: '/' });
      return Object.fromEntries(
        Object.entries(answer.headers).map(([name, value]) => [name, String(value)]),
      );
    } finally {
      await probe.close();
    }
  };
  const bare = await answerHeaders(false);
  const helmeted = await answerHeaders(true);
  const added = Object.entries(helmeted).filter(([name]) => !(name in bare));
  return Object.freeze({
    ...Object.fromEntries(added),
    'content-security-policy': API_CSP,
  });
}
