import { Inject, Injectable } from '@nestjs/common';
import type { MessageEnvelope } from '#lib/contracts';
import { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom, throwError, timeout } from 'rxjs';
import { RpcError } from '../errors/rpc-error.js';
import { toRpcErrorPayload } from '../errors/to-rpc-error-payload.js';
import { MESSAGING_OPTIONS, type ResolvedMessagingOptions } from '../messaging-options.js';

export interface SendOptions {
  /** Overrides the default RPC timeout for this call. */
  readonly timeoutMs?: number;
}

export interface EmitOptions {
  /** Fails the emit (so its publisher retries) when the transport does not accept it in time. */
  readonly timeoutMs?: number;
}

/**
 * Nest's ClientProxy as promises, with the timeout applied and every failure turned into an
 * RpcError, so contexts do not repeat the rxjs plumbing. Contexts may still use ClientProxy itself.
 */
@Injectable()
export class MessagingClient {
  constructor(
    private readonly proxy: ClientProxy,
    @Inject(MESSAGING_OPTIONS)
    private readonly options: Pick<ResolvedMessagingOptions, 'rpcTimeoutMs'>,
  ) {}

  /** Resolves once the transport is connected. */
  async connect(): Promise<void> {
    await this.proxy.connect();
  }

  /**
   * Sends a request and resolves with the reply, or rejects with an RpcError: the handler's code,
   * MESSAGING.TIMEOUT, MESSAGING.NO_HANDLER, MESSAGING.VALIDATION_FAILED...
   */
  async send<TResult, TPayload = unknown>(
    pattern: string,
    payload: TPayload,
    options: SendOptions = {},
  ): Promise<TResult> {
    const timeoutMs = options.timeoutMs ?? this.options.rpcTimeoutMs;
    const reply$ = this.proxy.send<TResult, TPayload>(pattern, payload).pipe(
      timeout({
        first: timeoutMs,
        with: () => throwError(() => RpcError.timeout(pattern, timeoutMs)),
      }),
    );
    try {
      // A handler that returns nothing replies with no value: the caller gets undefined.
      return await lastValueFrom(reply$, { defaultValue: undefined as TResult });
    } catch (error) {
      throw error instanceof RpcError ? error : new RpcError(toRpcErrorPayload(error));
    }
  }

  /** Publishes an event under its type. Contexts publish through `EventPublisher` (the outbox). */
  async emit(envelope: MessageEnvelope, options: EmitOptions = {}): Promise<void> {
    let accepted$ = this.proxy.emit<unknown, MessageEnvelope>(envelope.type, envelope);
    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      accepted$ = accepted$.pipe(
        timeout({
          first: timeoutMs,
          with: () => throwError(() => RpcError.timeout(envelope.type, timeoutMs)),
        }),
      );
    }
    try {
      await lastValueFrom(accepted$, { defaultValue: undefined });
    } catch (error) {
      throw error instanceof RpcError ? error : new RpcError(toRpcErrorPayload(error));
    }
  }
}
