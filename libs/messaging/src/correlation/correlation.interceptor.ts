import { randomUUID } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Observable } from 'rxjs';
import { CorrelationScope } from './correlation-scope.js';

/**
 * Opens a correlation scope for each HTTP request, keyed by its request id, so that the envelopes
 * and requests a handler produces carry the id its log lines carry. Message handlers get their
 * scope from the transport instead, from the incoming message's metadata.
 */
@Injectable()
export class CorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ id?: unknown }>();
    const correlationId = typeof request.id === 'string' ? request.id : randomUUID();
    // The handler runs when the stream is subscribed, so subscribing inside the scope runs it there.
    return new Observable((subscriber) =>
      CorrelationScope.run({ correlationId }, () => next.handle().subscribe(subscriber)),
    );
  }
}
