import { HealthIndicatorService } from '@nestjs/terminus';
import type { MessagingTransport } from '#lib/messaging';
import { MessagingHealthIndicator } from './messaging.health-indicator.js';

/** Only what the indicator reads; the rest of a transport plays no part in readiness. */
function stubTransport(unavailable?: string): MessagingTransport {
  return {
    name: 'rmq',
    isConnected: () => unavailable === undefined,
    unavailableReason: () => unavailable,
  } as Partial<MessagingTransport> as MessagingTransport;
}

describe('MessagingHealthIndicator', () => {
  it('reports messaging up with the transport name while messages can flow', () => {
    const indicator = new MessagingHealthIndicator(new HealthIndicatorService(), stubTransport());

    expect(indicator.check()).toEqual({ messaging: { status: 'up', transport: 'rmq' } });
  });

  it.each([
    ['the broker connection is lost', 'the rmq transport is not connected'],
    ['the broker blocks publishing', 'the broker blocks publishing: low on memory'],
  ])('reports messaging down, saying why, while %s', (_situation, reason) => {
    const indicator = new MessagingHealthIndicator(
      new HealthIndicatorService(),
      stubTransport(reason),
    );

    expect(indicator.check()).toEqual({
      messaging: { status: 'down', transport: 'rmq', message: reason },
    });
  });
});
