import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { answerLivenessOutsideNest } from './liveness-outside-nest.js';

describe('answerLivenessOutsideNest', () => {
  let app: FastifyInstance;
  let baseUrl: string;
  const nestHandlerCalls: string[] = [];

  beforeAll(async () => {
    app = Fastify();
    answerLivenessOutsideNest(app, '/health/live');
    // What Nest registers for the health controller and any other controller: its own handlers.
    for (const url of ['/health/live', '/health/ready']) {
      app.get(url, async () => {
        nestHandlerCalls.push(url);
        return { status: 'from nest' };
      });
    }
    // Hooks registered by the platform still run for liveness.
    app.addHook('onRequest', (request, reply, done) => {
      void reply.header('x-request-id', request.id);
      done();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('answers GET /health/live itself, without the handler registered for it', async () => {
    const answer = await fetch(`${baseUrl}/health/live`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await answer.text()).toBe('{"status":"ok"}');
    expect(answer.headers.get('x-request-id')).not.toBeNull();
    expect(nestHandlerCalls).not.toContain('/health/live');
  });

  it('answers HEAD /health/live with the headers and no body', async () => {
    const answer = await fetch(`${baseUrl}/health/live`, { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('');
    expect(nestHandlerCalls).not.toContain('/health/live');
  });

  it('leaves every other route to its own handler', async () => {
    const answer = await fetch(`${baseUrl}/health/ready`);
    expect(await answer.json()).toEqual({ status: 'from nest' });
    expect(nestHandlerCalls).toEqual(['/health/ready']);
  });
});
