import type { Logger } from '@nestjs/common';

/** The part of amqp-connection-manager's ChannelWrapper that reports a failed open or setup. */
interface ChannelErrors {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * amqp-connection-manager reports a channel that failed to open or to run its setup as an 'error'
 * event on the channel, and Nest listens for none: with no listener the event ends the process.
 * Closing the transport while the channel is still opening (SIGTERM during start-up) ends it with
 * the broker's replies still owed, which amqplib rejects as "Channel ended, no reply will be
 * forthcoming": that is the close we asked for, logged as such. Any other failure (the broker
 * refused a declaration, the connection dropped) is logged as an error, and the setup runs again
 * on the next connection.
 */
export function reportChannelErrors(
  channel: ChannelErrors | null,
  isClosing: () => boolean,
  log: Logger,
): void {
  channel?.on('error', (error) => {
    if (isClosing()) log.log(`closed while the channel was opening: ${error.message}`);
    else log.error({ err: error }, `the channel failed to open or set up: ${error.message}`);
  });
}
