import type { BaseRpcContext, MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';

/** `Server#runWithProcessingHooks`, which is protected: each server passes its own, bound. */
export type ProcessingHooks = (
  context: BaseRpcContext,
  work: (runEndHook: () => void) => Promise<void>,
) => void;

/** The invoker a server hands to the EventDispatcher, running attempts inside its own hooks. */
export const eventHandlerInvoker =
  (runWithProcessingHooks: ProcessingHooks) =>
  (handler: MessageHandler, data: unknown, context: BaseRpcContext): Promise<void> =>
    invokeEventHandler(runWithProcessingHooks, handler, data, context);

/**
 * One attempt of an event handler inside the server's processing hooks (tracing, metrics), as
 * Nest's own transports run them, settling with the handler's outcome.
 */
export async function invokeEventHandler(
  runWithProcessingHooks: ProcessingHooks,
  handler: MessageHandler,
  data: unknown,
  context: BaseRpcContext,
): Promise<void> {
  const outcome = await new Promise<{ error?: unknown; failed: boolean }>((resolve) => {
    runWithProcessingHooks(context, async (runEndHook) => {
      try {
        const result: unknown = await handler(data, context);
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
        resolve({ failed: false });
      } catch (error) {
        resolve({ error, failed: true });
      } finally {
        runEndHook();
      }
    });
  });
  if (outcome.failed) throw outcome.error;
}
