import {
  MESSAGING_ERROR_CODES,
  PUBLISHED_REQUESTS,
  type PublishedPattern,
  type ReplyOf,
  type RequestOf,
} from '#lib/contracts';
import {
  DEFAULT_RPC_TIMEOUT_MS,
  MessagingClient,
  resolveRmqTransportOptions,
  RmqClient,
  RpcError,
} from '#lib/messaging';
import { CircuitBreaker, type CircuitBreakerOptions, CircuitOpenError } from '#lib/resilience';
import type { ClientProxy } from '@nestjs/microservices';

export interface ContractsClientOptions {
  /** amqp://user:password@host:port/vhost of the platform's RabbitMQ. */
  readonly url: string;
  /** The calling service, sent as the AMQP app-id. */
  readonly serviceName: string;
  /** The platform's topic exchange; `commerce` unless its operators changed it. */
  readonly exchange?: string;
  /** Default wait for a reply, per call; `send` may override it. */
  readonly timeoutMs?: number;
  /** One breaker per platform service (`catalog`...): when it stops answering, calls fail fast. */
  readonly breaker?: Partial<Omit<CircuitBreakerOptions, 'isFailure'>>;
}

export interface ContractsSendOptions {
  readonly timeoutMs?: number;
}

/** Answers that say the service did not answer for itself: these count against its breaker. */
const NO_ANSWER: ReadonlySet<string> = new Set([
  MESSAGING_ERROR_CODES.TIMEOUT,
  MESSAGING_ERROR_CODES.UNAVAILABLE,
  MESSAGING_ERROR_CODES.NO_HANDLER,
  MESSAGING_ERROR_CODES.INTERNAL,
]);

const DEFAULT_BREAKER: Omit<CircuitBreakerOptions, 'isFailure'> = {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  resetTimeoutMs: 10_000,
};

/**
 * The platform's published requests (docs/contracts/asyncapi.yaml) for Node services, typed by
 * pattern: `send('catalog.v1.basket.price', { items })` takes a PriceBasketRequest and resolves with
 * a PriceBasketReply. Built on our RmqClient (Nest's ClientRMQ, so the wire format is the
 * platform's own), with a timeout on every call and a circuit breaker per platform service. Every
 * failure is an RpcError with a stable code: the service's own (`CATALOG.INSUFFICIENT_STOCK`),
 * MESSAGING.TIMEOUT, MESSAGING.VALIDATION_FAILED, or MESSAGING.UNAVAILABLE while the broker is
 * unreachable or the breaker is open. Nothing is retried here: retry what the document marks
 * idempotent.
 */
export class ContractsClient {
  private readonly rmq: RmqClient;
  private readonly messaging: MessagingClient;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly breakerOptions: CircuitBreakerOptions;

  private constructor(options: ContractsClientOptions) {
    this.rmq = new RmqClient(
      resolveRmqTransportOptions({
        url: options.url,
        serviceName: options.serviceName,
        ...(options.exchange !== undefined && { exchange: options.exchange }),
      }),
    );
    // ClientRMQ narrows its status type to RmqStatus; ClientProxy's is string.
    this.messaging = new MessagingClient(this.rmq as unknown as ClientProxy, {
      rpcTimeoutMs: options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS,
    });
    this.breakerOptions = {
      ...DEFAULT_BREAKER,
      ...options.breaker,
      isFailure: (error) => error instanceof RpcError && NO_ANSWER.has(error.code),
    };
  }

  /** A client that connects on its first request; `close()` it when done. */
  static connect(options: ContractsClientOptions): ContractsClient {
    return new ContractsClient(options);
  }

  async send<P extends PublishedPattern>(
    pattern: P,
    request: RequestOf<P>,
    options: ContractsSendOptions = {},
  ): Promise<ReplyOf<P>> {
    const breaker = this.breakerOf(PUBLISHED_REQUESTS[pattern].service);
    try {
      return await breaker.fire(async () => {
        await this.connected();
        return this.messaging.send<ReplyOf<P>, RequestOf<P>>(pattern, request, options);
      });
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        throw new RpcError({
          code: MESSAGING_ERROR_CODES.UNAVAILABLE,
          message: `${error.message} (${pattern})`,
          details: { pattern, retryAfterMs: error.retryAfterMs },
        });
      }
      throw error;
    }
  }

  /** The breaker's state for one platform service: closed, open or half_open. */
  breakerState(service: string): CircuitBreaker['state'] {
    return this.breakers.get(service)?.state ?? 'closed';
  }

  async close(): Promise<void> {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
    await this.rmq.close();
  }

  /** Connects once (and again after a lost connection); an unreachable broker is UNAVAILABLE. */
  private async connected(): Promise<void> {
    try {
      await this.rmq.connect();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw RpcError.unavailable(`the broker cannot be reached: ${reason}`);
    }
  }

  private breakerOf(service: string): CircuitBreaker {
    let breaker = this.breakers.get(service);
    if (!breaker) {
      breaker = new CircuitBreaker(service, this.breakerOptions);
      this.breakers.set(service, breaker);
    }
    return breaker;
  }
}
