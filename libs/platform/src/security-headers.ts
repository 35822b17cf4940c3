import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

// An API answers JSON only, so it may forbid everything; swagger-ui at /docs needs its inline code.
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
export const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'";

/** Helmet as we configure it for the docs page, a browser document; the CSP is set per answer. */
export const HELMET_OPTIONS = {
  global: true,
  contentSecurityPolicy: false,
  crossOriginResourcePolicy: { policy: 'same-site' },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
} satisfies FastifyHelmetOptions;

/**
 * Helmet for API answers (JSON, problem+json): without the headers that only act on a document a
 * browser renders (DNS prefetch of its links, IE8 downloads, Flash and PDF policies, agent
 * clusters, the retired XSS auditor, the opener of a top-level page). Each costs every answer a
 * header for nothing; what is left is what our security suite and the gateway require (ADR 0052).
 */
export const API_HELMET_OPTIONS = {
  ...HELMET_OPTIONS,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} satisfies FastifyHelmetOptions;

/** The headers of one answer from Fastify, with helmet registered with `options` if given. */
async function answerHeaders(options?: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify();
  if (options !== undefined) await probe.register(fastifyHelmet, options);
  probe.get('/', () => 'probe');
  try {
    const answer = await probe.inject({ method: 'GET', url: '/' });
    return Object.fromEntries(
      Object.entries(answer.headers).map(([name, value]) => [name, String(value)]),
    );
  } finally {
    await probe.close();
  }
}

export interface SecurityHeaderSets {
  readonly api: Readonly<Record<string, string>>;
  /** Undefined where /docs is not served (production): every answer gets the API set. */
  readonly docs?: Readonly<Record<string, string>>;
}

/**
 * The security headers of API answers and, if `docs` says /docs is served, of the docs. They are
 * read off helmet itself, once at start-up (the headers one answer gains when helmet is
 * registered with our options), so every answer carries exactly what helmet would set, whatever
 * a helmet upgrade adds or changes; but no answer runs helmet's chain of a dozen middlewares to
 * get them (issue 7, ADR 0046).
 */
export async function securityHeaderSets({
  docs: servesDocs,
}: {
  docs: boolean;
}): Promise<SecurityHeaderSets> {
  const [bare, api, docs] = await Promise.all([
    answerHeaders(),
    answerHeaders(API_HELMET_OPTIONS),
    servesDocs ? answerHeaders(HELMET_OPTIONS) : undefined,
  ]);
  const addedToBare = (helmeted: Record<string, string>) =>
    Object.fromEntries(Object.entries(helmeted).filter(([name]) => !(name in bare)));
  return {
    api: Object.freeze({ ...addedToBare(api), 'content-security-policy': API_CSP }),
    // swagger-ui's page needs its inline script and style.
    ...(docs !== undefined && {
      docs: Object.freeze({ ...addedToBare(docs), 'content-security-policy': DOCS_CSP }),
    }),
  };
}

const isDocs = (url: string): boolean => url === '/docs' || url.startsWith('/docs/');

/**
 * One `onRequest` hook sets the precomputed headers on the reply: every answer Fastify sends for
 * a request that got this far carries them (errors, 404s and 429s included, since Fastify never
 * drops a reply's headers), and a handler's own `reply.header()` still wins.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, sets: SecurityHeaderSets): void {
  const { api, docs } = sets;
  if (docs === undefined) {
    fastify.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(api);
      done();
    });
    return;
  }
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(isDocs(request.url) ? docs : api);
    done();
  });
}
