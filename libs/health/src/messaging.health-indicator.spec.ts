import { HealthIndicatorService } from '@nestjs/terminus';
import type { MessagingTransport } from '#lib/messaging';
import { MessagingHealthIndicator } from './messaging.health-indicator.js';

/** Only what the indicator reads; the rest of a transport plays no part in readiness. */
function stubTransport(connected: boolean): MessagingTransport {
  return {
    name: 'rmq',
    isConnected: () => connected,
  } as Partial<MessagingTransport> as MessagingTransport;
}

describe('MessagingHealthIndicator', () => {
  it('reports messaging up with the transport name while the transport is connected', () => {
    const indicator = new MessagingHealthIndicator(
      new HealthIndicatorService(),
      stubTransport(true),
    );

    expect(indicator.check()).toEqual({ messaging: { status: 'up', transport: 'rmq' } });
  });

  it('reports messaging down, saying why, while the broker connection is lost', () => {
    const indicator = new MessagingHealthIndicator(
      new HealthIndicatorService(),
      stubTransport(false),
    );

    expect(indicator.check()).toEqual({
      messaging: {
        status: 'down',
        transport: 'rmq',
        message: 'the rmq transport is not connected',
      },
    });
  });
});
