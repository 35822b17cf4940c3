import { CATALOG_PATTERNS, ORDER_EVENTS, PUBLISHED_EVENTS } from '#lib/contracts';
import {
  type AsyncApiDocument,
  buildAsyncApiDocument,
  replyMessageName,
  requestMessageName,
} from './asyncapi-document.js';
import { breakingChanges } from './asyncapi-breaking-changes.js';
import type { JsonSchema } from './message-json-schema.js';

const published = buildAsyncApiDocument();
const copy = (): AsyncApiDocument => structuredClone(published);

/** The body schema of a message, at `data` (requests, events) or `response` (replies). */
function body(document: AsyncApiDocument, message: string, field: string): JsonSchema {
  const schema = document.components.messages[message]?.payload.properties?.[field];
  if (!schema) throw new Error(`${message} has no ${field}`);
  return schema;
}

const eventPayload = (document: AsyncApiDocument, type: string): JsonSchema =>
  body(document, type, 'data').properties?.payload as JsonSchema;

const PRICE = CATALOG_PATTERNS.PRICE_BASKET;
const PLACED = ORDER_EVENTS.placed;
const CANCELLED = ORDER_EVENTS.cancelled;

describe('breakingChanges', () => {
  it('finds nothing between a document and itself', () => {
    expect(breakingChanges(published, buildAsyncApiDocument())).toEqual([]);
  });

  it.each<[string, (document: AsyncApiDocument) => void, string]>([
    [
      'a removed pattern',
      (document) => {
        delete (document.operations as Record<string, unknown>)[PRICE];
        delete document.components.messages[requestMessageName(PRICE)];
      },
      `operation ${PRICE} was removed or renamed`,
    ],
    [
      'a renamed event',
      (document) => {
        const operations = document.operations as Record<string, unknown>;
        operations['orders.v1.order-created'] = operations[PLACED];
        delete operations[PLACED];
      },
      `operation ${PLACED} was removed or renamed`,
    ],
    [
      "a removed event's message",
      (document) => {
        delete document.components.messages[PLACED];
      },
      `message ${PLACED} was removed or renamed`,
    ],
    [
      'a removed request field',
      (document) => {
        delete body(document, requestMessageName(PRICE), 'data').properties?.items;
      },
      `${requestMessageName(PRICE)} payload.data.items was removed or renamed`,
    ],
    [
      'a renamed event field',
      (document) => {
        const payload = eventPayload(document, PLACED);
        const properties = payload.properties as Record<string, JsonSchema>;
        properties.amount = { ...properties.total };
        delete properties.total;
      },
      `${PLACED} payload.data.payload.total was removed or renamed`,
    ],
    [
      'a changed field type',
      (document) => {
        const total = body(document, replyMessageName(PRICE), 'response').properties?.total;
        Object.assign(total ?? {}, { type: 'string' });
      },
      `${replyMessageName(PRICE)} payload.response.total changed type from integer to string`,
    ],
    [
      'a nullable field made non-nullable',
      (document) => {
        const currency = body(document, replyMessageName(PRICE), 'response').properties?.currency;
        Object.assign(currency ?? {}, { type: 'string' });
      },
      `${replyMessageName(PRICE)} payload.response.currency changed type from null|string to string`,
    ],
    [
      'a nested field whose type changed',
      (document) => {
        const line = body(document, requestMessageName(PRICE), 'data').properties?.items?.items;
        Object.assign(line?.properties?.quantity ?? {}, { type: 'number' });
      },
      `${requestMessageName(PRICE)} payload.data.items[].quantity changed type from integer to number`,
    ],
    [
      'a newly required field',
      (document) => {
        eventPayload(document, CANCELLED).required?.push('paymentId');
      },
      `${CANCELLED} payload.data.payload.paymentId became required`,
    ],
    [
      'an event field no longer always sent',
      (document) => {
        const payload = eventPayload(document, PLACED);
        payload.required = payload.required?.filter((field) => field !== 'total');
      },
      `${PLACED} payload.data.payload.total is no longer always sent`,
    ],
    [
      'a narrowed enum',
      (document) => {
        const reason = eventPayload(document, CANCELLED).properties?.reason;
        Object.assign(reason ?? {}, {
          enum: reason?.enum?.filter((value) => value !== 'cancelled_by_admin'),
        });
      },
      `${CANCELLED} payload.data.payload.reason no longer allows "cancelled_by_admin"`,
    ],
    [
      'a removed header',
      (document) => {
        delete document.components.messages[PLACED]?.headers.properties?.traceparent;
      },
      `${PLACED} headers.traceparent was removed or renamed`,
    ],
    [
      'a request bound that refuses what v1 accepted (fewer lines)',
      (document) => {
        Object.assign(body(document, requestMessageName(PRICE), 'data').properties?.items ?? {}, {
          maxItems: 50,
        });
      },
      `${requestMessageName(PRICE)} payload.data.items changed maxItems from 100 to 50`,
    ],
    [
      'an event bound that sends what v1 never did (a negative total)',
      (document) => {
        Object.assign(eventPayload(document, PLACED).properties?.total ?? {}, {
          minimum: undefined,
        });
      },
      `${PLACED} payload.data.payload.total changed minimum from 0 to none`,
    ],
    [
      'a changed pattern',
      (document) => {
        Object.assign(eventPayload(document, PLACED).properties?.currency ?? {}, {
          pattern: '^[A-Z]{3,4}$',
        });
      },
      `${PLACED} payload.data.payload.currency changed pattern from ^[A-Z]{3}$ to ^[A-Z]{3,4}$`,
    ],
  ])('fails on %s', (_case, change, problem) => {
    const current = copy();
    change(current);
    expect(breakingChanges(published, current)).toContain(problem);
  });

  it('allows additions: a new pattern, an optional field, a wider enum, a looser request bound', () => {
    const current = copy();
    Object.assign(body(current, requestMessageName(PRICE), 'data').properties?.items ?? {}, {
      maxItems: 200,
    });
    const operations = current.operations as Record<string, unknown>;
    operations['catalog.v2.basket.price'] = operations[PRICE];
    const payload = eventPayload(current, CANCELLED);
    (payload.properties as Record<string, JsonSchema>).note = { type: 'string' };
    const reason = payload.properties?.reason;
    Object.assign(reason ?? {}, { enum: [...(reason?.enum ?? []), 'fraud_suspected'] });

    expect(breakingChanges(published, current)).toEqual([]);
  });

  it('checks every published event', () => {
    for (const type of Object.keys(PUBLISHED_EVENTS)) {
      const current = copy();
      delete current.components.messages[type];
      expect(breakingChanges(published, current)).toEqual([
        `message ${type} was removed or renamed`,
      ]);
    }
  });
});
