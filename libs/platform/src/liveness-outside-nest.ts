import type { FastifyInstance, FastifyReply, RouteHandlerMethod } from 'fastify';

const LIVE_BODY = JSON.stringify({ status: 'ok' });

const answerLive: RouteHandlerMethod = (_request, reply: FastifyReply) =>
  reply.type('application/json; charset=utf-8').send(LIVE_BODY);

/**
 * `GET /health/live` answered by Fastify alone: the health controller still declares the route
 * (its OpenAPI operation, its path), but when Nest registers it this hook swaps Nest's handler
 * for a plain one, so a probe skips Nest's guards (authentication, throttling), interceptors and
 * pipes, none of which a liveness answer needs. Fastify's hooks still run: the request id, the
 * security headers and the request metric (ADR 0046). Call it before Nest registers its routes.
 */
export function answerLivenessOutsideNest(fastify: FastifyInstance, path: string): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url === path) route.handler = answerLive;
  });
}
