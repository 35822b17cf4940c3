import Fastify from 'fastify';
import type { TrustProxy } from '#lib/config';
import { fastifyTrustProxy } from './fastify-trust-proxy.js';

/** The client address a Fastify app sees for a request from 127.0.0.1 that says `forwardedFor`. */
async function clientAddressSeen(trust: TrustProxy, forwardedFor: string): Promise<string> {
  const app = Fastify({ trustProxy: fastifyTrustProxy(trust) });
  app.get('/', async (request) => ({ ip: request.ip }));
  // Over a real socket: light-my-request cannot load under Jest's ESM runtime.
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const response = await fetch(url, { headers: { 'x-forwarded-for': forwardedFor } });
    return ((await response.json()) as { ip: string }).ip;
  } finally {
    await app.close();
  }
}

describe('fastifyTrustProxy', () => {
  it('behind one trusted hop, takes the address the gateway appended, not one the client sent', async () => {
    expect(await clientAddressSeen(1, '203.0.113.9, 198.51.100.7')).toBe('198.51.100.7');
  });

  it('trusts a listed proxy address and nothing beyond it', async () => {
    expect(await clientAddressSeen(['127.0.0.1'], '203.0.113.9, 198.51.100.7')).toBe(
      '198.51.100.7',
    );
    expect(await clientAddressSeen(['10.0.0.0/8'], '198.51.100.7')).toBe('127.0.0.1');
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    expect(await clientAddressSeen(false, '198.51.100.7')).toBe('127.0.0.1');
  });
});
