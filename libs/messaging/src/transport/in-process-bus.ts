import { RpcError } from '../errors/rpc-error.js';

/** A message on the in-process bus: what a broker would carry as routing key and body bytes. */
export interface InProcessMessage {
  /** The pattern as a string, which the receiving server parses back like any transport. */
  readonly routingKey: string;
  /** The serialised packet. Only strings cross the bus, so nothing is shared by reference. */
  readonly body: string;
  /** Ties a reply to its request. */
  readonly correlationId?: string;
}

/** A server attached to the bus. */
export interface InProcessEndpoint {
  answers(routingKey: string): boolean;
  answer(request: InProcessMessage, reply: (body: string) => void): void;
  /** Settles once every subscriber has processed the event or dead-lettered it. */
  deliver(event: InProcessMessage): Promise<void>;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The broker of monolith mode: routes requests to the server that answers their pattern and fans
 * events out to every attached server. Each hop is asynchronous, like a network one, so callers
 * never observe a handler running inside their own call stack.
 *
 * An event is "published" once all its subscribers have finished with it (processed or
 * dead-lettered): with no durable broker in between, that is the only acknowledgement that
 * survives a crash, so the outbox relay marks a row sent only after it.
 */
export class InProcessBus {
  private readonly endpoints = new Set<InProcessEndpoint>();
  private waiting: (() => void)[] = [];

  get isListening(): boolean {
    return this.endpoints.size > 0;
  }

  attach(endpoint: InProcessEndpoint): void {
    this.endpoints.add(endpoint);
    for (const wake of this.waiting.splice(0)) wake();
  }

  detach(endpoint: InProcessEndpoint): void {
    this.endpoints.delete(endpoint);
  }

  /** Resolves once a server listens: clients wait for it as they would for a broker connection. */
  whenListening(): Promise<void> {
    if (this.isListening) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  request(request: InProcessMessage, reply: (body: string) => void): void {
    void nextTurn().then(() => {
      const endpoint = [...this.endpoints].find((candidate) =>
        candidate.answers(request.routingKey),
      );
      if (endpoint) {
        endpoint.answer(request, reply);
        return;
      }
      const error = this.isListening
        ? RpcError.noHandler(request.routingKey)
        : RpcError.unavailable('no in-process server is listening');
      reply(JSON.stringify({ id: request.correlationId, err: error.payload, isDisposed: true }));
    });
  }

  async publish(event: InProcessMessage): Promise<void> {
    if (!this.isListening) throw RpcError.unavailable('no in-process server is listening');
    await nextTurn();
    const outcomes = await Promise.allSettled(
      [...this.endpoints].map((endpoint) => endpoint.deliver(event)),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
