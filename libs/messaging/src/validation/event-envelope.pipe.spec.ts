import { randomUUID } from 'node:crypto';
import { MESSAGING_ERROR_CODES } from '#lib/contracts';
import { IsInt, IsUUID, Min } from 'class-validator';
import { RpcError } from '../errors/rpc-error.js';
import { EventEnvelopePipe } from './event-envelope.pipe.js';

class StockReserved {
  @IsUUID()
  orderId!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

const valid = () => ({
  id: randomUUID(),
  type: 'catalog.v1.stock-reserved',
  version: 1,
  occurredAt: '2026-05-01T12:00:00.000Z',
  correlationId: 'req-1',
  payload: { orderId: randomUUID(), quantity: 2 },
});

const pipe = new EventEnvelopePipe(StockReserved);

async function violatedFields(value: unknown): Promise<string[]> {
  const error = await pipe.transform(value).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(RpcError);
  expect((error as RpcError).code).toBe(MESSAGING_ERROR_CODES.VALIDATION_FAILED);
  const violations = (error as RpcError).details?.violations as { field: string }[];
  return violations.map((violation) => violation.field);
}

describe('EventEnvelopePipe', () => {
  it('returns the envelope with its payload as an instance of the event class', async () => {
    const envelope = valid();

    const received = await pipe.transform(envelope);

    expect(received).toEqual(envelope);
    expect(received.payload).toBeInstanceOf(StockReserved);
  });

  it('drops payload fields the class does not know, so producers can add fields within a version', async () => {
    const envelope = valid();

    const received = await pipe.transform({
      ...envelope,
      payload: { ...envelope.payload, warehouse: 'north' },
    });

    expect(received.payload).not.toHaveProperty('warehouse');
  });

  it.each([
    ['a missing id', { id: undefined }, ['id']],
    ['an unversioned type', { type: 'stock-reserved' }, ['type']],
    ['a version the type does not carry', { version: 2 }, ['version']],
    ['a local time without zone', { occurredAt: 'yesterday' }, ['occurredAt']],
    ['an empty correlation id', { correlationId: '' }, ['correlationId']],
    ['a payload that is not an object', { payload: 'reserved' }, ['payload']],
    ['an invalid payload field', { payload: { orderId: 'o-1', quantity: 2 } }, ['payload.orderId']],
    [
      'several invalid payload fields',
      { payload: { orderId: randomUUID(), quantity: 0.5 } },
      ['payload.quantity'],
    ],
  ])('rejects an envelope with %s', async (_case, change, fields) => {
    expect(await violatedFields({ ...valid(), ...change })).toEqual(fields);
  });

  it.each([null, 'text', 42, []])('rejects %j, which is no envelope at all', async (value) => {
    expect(await violatedFields(value)).toEqual(['']);
  });
});
