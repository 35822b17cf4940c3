import { jest } from '@jest/globals';
import type { EventDispatcher } from '../../delivery/event-dispatcher.js';
import { RmqServer } from './rmq.server.js';
import { resolveRmqTransportOptions } from './rmq-topology.js';

describe('RmqServer handler lookup', () => {
  const server = new RmqServer(
    {} as EventDispatcher,
    resolveRmqTransportOptions({ url: 'amqp://127.0.0.1:1', serviceName: 'catalog' }),
  );
  const price = Object.assign(async () => ({ total: 1 }), { isEventHandler: false });
  server.addHandler('catalog.v1.basket.price', price);

  it('finds the handler of a routing key without trying it as JSON first', () => {
    // Nest's way JSON.parses the pattern, which throws for every routing key.
    const parse = jest.spyOn(JSON, 'parse');

    const handler = server.getHandlerByPattern('catalog.v1.basket.price');

    expect(handler).toBe(price);
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
  });

  it('finds no handler for a pattern nobody answers', () => {
    expect(server.getHandlerByPattern('catalog.v1.unknown')).toBeNull();
  });
});
