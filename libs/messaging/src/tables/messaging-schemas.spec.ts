import type { MessageHandler } from '@nestjs/microservices';
import { DELIVERY_POLICY_EXTRA } from '../delivery/delivery-policy.decorator.js';
import { EventDispatcher } from '../delivery/event-dispatcher.js';
import { InMemoryDeadLetterStore } from '../testing/in-memory-dead-letter.store.js';
import { InMemoryDeliveryRetryStore } from '../testing/in-memory-delivery-retry.store.js';
import { MessagingSchemas } from './messaging-schemas.js';
import { hasMessagingTables, messagingTablesMigration } from './messaging-tables.migration.js';

describe('MessagingSchemas', () => {
  const schemas = new MessagingSchemas(['catalog', 'orders']);

  it("places an event in its publisher's schema", () => {
    expect(schemas.ofEventType('orders.v1.order-placed')).toBe('orders');
    expect(() => schemas.ofEventType('payments.v1.payment-failed')).toThrow(
      /event type "payments.v1.payment-failed" names no context of this app \(catalog, orders\)/,
    );
  });

  it("places a consumer's rows in the consumer's schema, and refuses a name of no context", () => {
    expect(schemas.ofConsumer('catalog.release-order-stock')).toBe('catalog');
    for (const name of ['payments.open-payment', 'catalog', 'catalog.', 'Catalog.x', 'x']) {
      expect(() => schemas.ofConsumer(name)).toThrow(/names no context of this app/);
    }
  });

  it("keeps an app's own dead letters (unreadable messages) in the context it is named after, else its first", () => {
    expect(schemas.ofDeadLetter('orders.mark-order-paid')).toBe('orders');
    expect(schemas.ofDeadLetter('orders')).toBe('orders');
    expect(schemas.ofDeadLetter('monolith')).toBe('catalog');
  });

  it('takes only plain lower-case schema names, and at least one', () => {
    expect(() => new MessagingSchemas([])).toThrow(/no context of this app has messaging tables/);
    expect(() => new MessagingSchemas(['orders"; DROP'])).toThrow(/not a messaging schema name/);
    expect(MessagingSchemas.table('orders', 'outbox')).toBe('"orders".outbox');
  });

  it('finds the contexts whose migrations create the tables', () => {
    const migration = messagingTablesMigration('orders', 1_700_000_000_000);
    const withTables = { schema: 'orders', entities: [], migrations: [migration] };
    const without = { schema: 'reports', entities: [], migrations: [] };

    expect(hasMessagingTables(withTables)).toBe(true);
    expect(MessagingSchemas.of([without, withTables]).names).toEqual(['orders']);
    expect(new migration().name).toBe('CreateOrdersMessagingTables1700000000000');
  });
});

describe('EventDispatcher with a consumer check', () => {
  const schemas = new MessagingSchemas(['orders']);
  const dispatcher = new EventDispatcher(
    new InMemoryDeadLetterStore(),
    new InMemoryDeliveryRetryStore(),
    { checkConsumer: (consumer) => void schemas.ofConsumer(consumer) },
  );
  const handler = (): MessageHandler => Object.assign(async () => undefined, {});
  const policy = (consumer: string) => ({
    [DELIVERY_POLICY_EXTRA]: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, consumer },
  });

  it('registers a handler whose consumer is named after a context of the app', () => {
    dispatcher.register('payments.v1.payment-failed', handler(), policy('orders.cancel-order'));

    expect(dispatcher.consumers()).toEqual(['orders.cancel-order']);
  });

  it('refuses, at start-up, a consumer named after no context of the app or not named at all', () => {
    expect(() =>
      dispatcher.register('payments.v1.payment-failed', handler(), policy('Handlers.onFailed')),
    ).toThrow(/consumer "Handlers.onFailed" names no context of this app/);
    expect(() => dispatcher.register('payments.v1.payment-failed', handler())).toThrow(
      /names no consumer: declare @DeliveryPolicy/,
    );
  });
});
