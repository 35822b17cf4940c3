import { CorrelationScope } from '../correlation/correlation-scope.js';
import { createEnvelope } from './create-envelope.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createEnvelope', () => {
  it('wraps the payload with a new id, the version of its type and the time it happened', () => {
    const occurredAt = new Date('2026-05-01T12:00:00.000Z');

    const envelope = createEnvelope('orders.v2.order-placed', { orderId: 'o-1' }, { occurredAt });

    expect(envelope).toMatchObject({
      type: 'orders.v2.order-placed',
      version: 2,
      occurredAt: '2026-05-01T12:00:00.000Z',
      payload: { orderId: 'o-1' },
    });
    expect(envelope.id).toMatch(UUID);
  });

  it('gives every envelope its own id', () => {
    const first = createEnvelope('orders.v1.order-placed', {});
    const second = createEnvelope('orders.v1.order-placed', {});

    expect(first.id).not.toBe(second.id);
  });

  it('starts a new correlation outside any request or message, with no cause', () => {
    const envelope = createEnvelope('orders.v1.order-placed', {});

    expect(envelope.correlationId).toMatch(UUID);
    expect(envelope).not.toHaveProperty('causationId');
  });

  it('takes correlation and cause from the request or message being handled', () => {
    const envelope = CorrelationScope.run({ correlationId: 'req-7', causationId: 'msg-3' }, () =>
      createEnvelope('payments.v1.payment-succeeded', {}),
    );

    expect(envelope).toMatchObject({ correlationId: 'req-7', causationId: 'msg-3' });
  });

  it('lets explicit options win over the surrounding scope', () => {
    const envelope = CorrelationScope.run({ correlationId: 'req-7', causationId: 'msg-3' }, () =>
      createEnvelope('payments.v1.payment-succeeded', {}, { correlationId: 'c', causationId: 'm' }),
    );

    expect(envelope).toMatchObject({ correlationId: 'c', causationId: 'm' });
  });

  it.each(['order-placed', 'orders.order-placed', 'orders.v0.order-placed', 'Orders.v1.Placed'])(
    'refuses the unversioned or malformed type %s',
    (type) => {
      expect(() => createEnvelope(type, {})).toThrow(/not a versioned message name/);
    },
  );
});
