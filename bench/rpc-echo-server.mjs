// The two servers rpc-round-trip.mjs compares, one per process (argv[2]):
// - `nest`: a Nest microservice on our RMQ transport (RmqTransport: topology, manual ack, the
//   request pipeline with payload validation and RpcErrorInterceptor) answering `bench.v1.price`;
// - `amqplib`: the least a request/reply server does with amqplib alone (consume, reply to
//   `replyTo` with the correlation id, ack), computing the same answer.
// Each prints "ready" once it consumes, and stops on SIGTERM.
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Buffer } from 'node:buffer';
import amqp from 'amqplib';
import { IsInt, IsString, Min } from 'class-validator';
import { MessagePayloadPipe, RmqTransport, RpcErrorInterceptor } from '#lib/messaging';

// rpc-round-trip.mjs passes the mode, the broker URL, the pattern and the bare server's queue.
const [mode, url, PATTERN, BARE_QUEUE] = process.argv.slice(2);

const price = (request) => ({ sku: request.sku, total: request.quantity * 250 });

/** Decorators applied by hand: this file is plain JavaScript, run without a compiler. */
class PriceRequest {}
IsString()(PriceRequest.prototype, 'sku');
IsInt()(PriceRequest.prototype, 'quantity');
Min(1)(PriceRequest.prototype, 'quantity');

class PriceHandler {
  price(request) {
    return price(request);
  }
}
Controller()(PriceHandler);
MessagePattern(PATTERN)(
  PriceHandler.prototype,
  'price',
  Object.getOwnPropertyDescriptor(PriceHandler.prototype, 'price'),
);
Payload(new MessagePayloadPipe(PriceRequest))(PriceHandler.prototype, 'price', 0);

class BenchRpcModule {}
Module({
  controllers: [PriceHandler],
  providers: [{ provide: APP_INTERCEPTOR, useClass: RpcErrorInterceptor }],
})(BenchRpcModule);

/** Requests only: an event would need the stores, and the bench sends none. */
const unusedStore = new Proxy(
  {},
  {
    get: (_, method) => () => {
      throw new Error(`the RPC bench sends no events (${String(method)} called)`);
    },
  },
);

async function startNest() {
  const transport = new RmqTransport(unusedStore, unusedStore, {
    url,
    serviceName: 'bench-nest',
    prefetch: 32,
  });
  const app = await NestFactory.createMicroservice(BenchRpcModule, {
    ...transport.microserviceOptions(),
    logger: ['error'],
  });
  await app.listen();
  return async () => {
    await app.close();
    await transport.onApplicationShutdown();
  };
}

async function startAmqplib() {
  const connection = await amqp.connect(url, { noDelay: true });
  const channel = await connection.createChannel();
  await channel.assertQueue(BARE_QUEUE, { durable: true });
  await channel.prefetch(32);
  await channel.consume(BARE_QUEUE, (message) => {
    const reply = price(JSON.parse(message.content.toString()));
    channel.sendToQueue(message.properties.replyTo, Buffer.from(JSON.stringify(reply)), {
      correlationId: message.properties.correlationId,
      contentType: 'application/json',
    });
    channel.ack(message);
  });
  return () => connection.close();
}

const stop = await (mode === 'nest' ? startNest() : startAmqplib());
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void stop().finally(() => process.exit(0));
});
