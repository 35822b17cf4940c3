import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { LivenessFastPath } from './liveness-fast-path.js';

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' };
const REQUEST_ID = { header: 'x-request-id', resolve: () => 'resolved-id' };

describe('LivenessFastPath', () => {
  let app: FastifyInstance;
  let baseUrl: string;
  let fastPath: LivenessFastPath;
  let draining: boolean;
  /** Requests Fastify saw (its onRequest hook ran), and the probe answers the fast path counted. */
  let seenByFastify: string[];
  let recorded: number[];

  beforeEach(async () => {
    draining = false;
    seenByFastify = [];
    recorded = [];
    fastPath = new LivenessFastPath('/health/live', SECURITY_HEADERS, REQUEST_ID);
    app = Fastify({
      serverFactory: fastPath.serverFactory,
      keepAliveTimeout: 4321,
      requestTimeout: 9876,
    });
    app.addHook('onRequest', (request, _reply, done) => {
      seenByFastify.push(`${request.method} ${request.url}`);
      done();
    });
    app.get('/health/live', async () => ({ status: 'from fastify' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterEach(() => app.close());

  const enable = (): void =>
    fastPath.enable({
      record: (seconds) => recorded.push(seconds),
      isDraining: () => draining,
    });

  it('leaves every request to Fastify until it is enabled', async () => {
    const answer = await fetch(`${baseUrl}/health/live`);

    expect(await answer.json()).toEqual({ status: 'from fastify' });
    expect(seenByFastify).toEqual(['GET /health/live']);
  });

  it('answers GET on the probe path itself once enabled, with the headers of any answer', async () => {
    enable();

    const answer = await fetch(`${baseUrl}/health/live`);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await answer.text()).toBe('{"status":"ok"}');
    expect(answer.headers.get('x-request-id')).toBe('resolved-id');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(answer.headers.get('connection')).toBe('keep-alive');
    expect(seenByFastify).toEqual([]);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toBeGreaterThanOrEqual(0);
  });

  it('leaves other methods, query strings and paths to Fastify', async () => {
    enable();

    await fetch(`${baseUrl}/health/live`, { method: 'HEAD' });
    await fetch(`${baseUrl}/health/live?verbose=1`);
    await fetch(`${baseUrl}/health/ready`);

    expect(seenByFastify).toEqual([
      'HEAD /health/live',
      'GET /health/live?verbose=1',
      'GET /health/ready',
    ]);
    expect(recorded).toEqual([]);
  });

  it('asks the client to close its connection while the app drains', async () => {
    enable();
    draining = true;

    const answer = await fetch(`${baseUrl}/health/live`);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('connection')).toBe('close');
  });

  it('gives the server the timeouts Fastify gives a server of its own', () => {
    expect(app.server.keepAliveTimeout).toBe(4321);
    expect(app.server.requestTimeout).toBe(9876);
  });
});
