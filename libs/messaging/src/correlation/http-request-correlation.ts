import type { FastifyInstance } from 'fastify';
import { CorrelationScope } from './correlation-scope.js';

/**
 * Runs the rest of each HTTP request in a correlation named after its request id, so that the
 * envelopes and requests a handler produces carry the id its log lines carry. A Fastify hook rather
 * than a Nest interceptor: an interceptor would wrap every route in an rxjs chain (ADR 0046).
 * Message handlers get their scope from the transport instead, from the incoming message.
 */
export function correlateHttpRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    CorrelationScope.run({ correlationId: request.id }, done);
  });
}
