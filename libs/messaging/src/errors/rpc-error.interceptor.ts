import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { PATTERN_HANDLER_METADATA } from '@nestjs/microservices/constants.js';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum.js';
import { catchError, type Observable, throwError } from 'rxjs';
import { RpcError } from './rpc-error.js';
import { isUnexpectedFailure, toRpcErrorPayload } from './to-rpc-error-payload.js';

const isEventHandler = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(PATTERN_HANDLER_METADATA, context.getHandler()) === PatternHandler.EVENT;

/**
 * The single place where a message handler's failure becomes an RPC error reply: domain errors keep
 * their code, kind and details; validation failures become MESSAGING.VALIDATION_FAILED; anything
 * else is logged here and leaves as MESSAGING.INTERNAL_ERROR without its internals. It runs inside
 * Nest's pipeline (pipes included), so it works the same on every transport. HTTP is untouched.
 */
@Injectable()
export class RpcErrorInterceptor implements NestInterceptor {
  private readonly logger = new Logger('RpcErrors');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => {
        // An event's failure is logged by its transport, which knows the attempt and what follows.
        if (isUnexpectedFailure(error) && !isEventHandler(context)) {
          this.logger.error(
            { err: error, handler: `${context.getClass().name}.${context.getHandler().name}` },
            `message handler failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        return throwError(() => new RpcError(toRpcErrorPayload(error)));
      }),
    );
  }
}
