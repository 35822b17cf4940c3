import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MessagingTransport } from '#lib/messaging';

/**
 * Whether messages can flow: the RMQ transport's broker connection is up, publishing is not
 * blocked and this app's consumers run on an open channel, or the in-process server listens. Part of readiness, since an app that cannot consume or reply to RPC must not be
 * routed HTTP requests that end in a message round trip either. Reads a flag the transport keeps,
 * so it costs nothing and cannot hang.
 */
@Injectable()
export class MessagingHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly transport: MessagingTransport,
  ) {}

  check() {
    const indicator = this.indicators.check('messaging');
    const details = { transport: this.transport.name };
    const unavailable = this.transport.unavailableReason();
    return unavailable === undefined
      ? indicator.up(details)
      : indicator.down({ ...details, message: unavailable });
  }
}
