import type { BaseRpcContext, MessageHandler } from '@nestjs/microservices';
import { type Observable, throwError } from 'rxjs';

/**
 * What `Server#handleRequest` runs for a request: the handler's result as a stream. An exception
 * filter that rethrows (instead of returning an error stream) still ends in an error reply, never
 * in a caller left waiting.
 */
export const requestHandlerResult =
  (
    toObservable: (result: unknown) => Observable<unknown>,
    handler: MessageHandler,
    data: unknown,
    context: BaseRpcContext,
  ) =>
  async (): Promise<Observable<unknown>> => {
    try {
      return toObservable(await handler(data, context));
    } catch (error) {
      return throwError(() => error);
    }
  };
