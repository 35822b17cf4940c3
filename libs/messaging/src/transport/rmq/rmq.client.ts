import { Logger } from '@nestjs/common';
import { ClientRMQ } from '@nestjs/microservices';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import { attachMessageMetadata } from '../../correlation/message-metadata.js';
import { reportChannelErrors } from './rmq-channel-errors.js';
import { RmqPacketSerializer } from './rmq-packet.serializer.js';
import type { ResolvedRmqTransportOptions } from './rmq-topology.js';

/**
 * Nest's RMQ client, publishing every request and event to the topic exchange under its pattern
 * (`wildcards`) through a confirm channel: an emit resolves once the broker has taken the message,
 * which is what the outbox relay waits for before marking a row sent. Events are persistent;
 * requests are not (RmqPacketSerializer).
 * Replies come back on RabbitMQ's direct reply-to. Nagle's algorithm is off: with it, every round
 * trip waited ~40 ms for the delayed ACK.
 */
export class RmqClient extends ClientRMQ {
  /** The broker's reason while it blocks this connection's publishing (a resource alarm). */
  private blockedReason?: string;
  private closing = false;
  private readonly log = new Logger('RmqClient');

  constructor(options: ResolvedRmqTransportOptions) {
    super({
      urls: [options.url],
      exchange: options.exchange,
      exchangeType: 'topic',
      wildcards: true,
      persistent: true,
      socketOptions: {
        connectionOptions: { noDelay: true },
        heartbeatIntervalInSeconds: 10,
        reconnectTimeInSeconds: 1,
      },
      serializer: new RmqPacketSerializer(options.serviceName, options.requestTtlMs),
    });
    this.setOnDispatchHook(attachMessageMetadata);
  }

  /** False while a connection made once is down or blocked; before its first use it connects on demand. */
  isHealthy(): boolean {
    return (
      this.blockedReason === undefined &&
      ((this.client as { isConnected(): boolean } | null)?.isConnected() ?? true)
    );
  }

  /** Set while RabbitMQ blocks publishing on this connection (memory or disk alarm). */
  get blockedBy(): string | undefined {
    return this.blockedReason;
  }

  override async connect(): Promise<unknown> {
    // Every send passes here: only a new connection, after a close, is open again.
    if (!this.client) this.closing = false;
    return super.connect();
  }

  override async close(): Promise<void> {
    this.closing = true;
    await super.close();
  }

  override createChannel(): Promise<void> {
    const created = super.createChannel();
    reportChannelErrors(this.channel as ChannelWrapper | null, () => this.closing, this.log);
    return created;
  }

  // A blocked connection still looks connected, yet every publish waits until the alarm clears.
  override registerBlockedListener(client: AmqpConnectionManager): void {
    super.registerBlockedListener(client);
    client.on('blocked', ({ reason }: { reason?: string }) => {
      this.blockedReason = reason ?? 'resource alarm';
    });
    // A new connection starts unblocked; the broker blocks it again if the alarm still holds.
    client.on('disconnect', () => (this.blockedReason = undefined));
  }

  override registerUnblockedListener(client: AmqpConnectionManager): void {
    super.registerUnblockedListener(client);
    client.on('unblocked', () => (this.blockedReason = undefined));
  }
}
