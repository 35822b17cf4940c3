import { createEnvelope } from '../envelope/create-envelope.js';
import { OutboxMessageMapper } from './outbox-message.mapper.js';

describe('OutboxMessageMapper', () => {
  it('gives back the same envelope from its outbox row', () => {
    const envelope = createEnvelope(
      'orders.v1.order-placed',
      { orderId: 'o-1' },
      { correlationId: 'req-1', causationId: 'msg-1' },
    );

    expect(OutboxMessageMapper.toEnvelope(OutboxMessageMapper.toRow(envelope))).toEqual(envelope);
  });

  it('stores no absent optional header as null', () => {
    const row = OutboxMessageMapper.toRow(createEnvelope('orders.v1.order-placed', {}));

    expect(Object.keys(row.headers).sort()).toEqual(['correlationId', 'occurredAt', 'version']);
  });
});
