import { createEnvelope } from '#lib/messaging';
import { RecordingEventPublisher } from './recording.event-publisher.js';

describe('RecordingEventPublisher', () => {
  it('keeps what was published, in order, and finds it by type', async () => {
    const publisher = new RecordingEventPublisher();
    const placed = createEnvelope('orders.v1.order-placed', { orderId: 'o-1' }, {});
    const cancelled = createEnvelope('orders.v1.order-cancelled', { orderId: 'o-1' }, {});

    await publisher.publish([placed]);
    await publisher.publish([cancelled, placed]);

    expect(publisher.types()).toEqual([
      'orders.v1.order-placed',
      'orders.v1.order-cancelled',
      'orders.v1.order-placed',
    ]);
    expect(publisher.ofType('orders.v1.order-cancelled')).toEqual([cancelled]);
  });
});
