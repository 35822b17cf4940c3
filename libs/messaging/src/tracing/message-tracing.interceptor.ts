import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { PATTERN_HANDLER_METADATA } from '@nestjs/microservices/constants.js';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum.js';
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Observable } from 'rxjs';

const tracer = trace.getTracer('commerce-platform/messaging');

/** Every transport's context (ours and Nest's RmqContext) names the pattern it was reached by. */
interface PatternContext {
  getPattern?: () => unknown;
}

const patternOf = (executionContext: ExecutionContext): string => {
  const pattern = executionContext.switchToRpc().getContext<PatternContext>().getPattern?.();
  if (typeof pattern === 'string') return pattern;
  return pattern === undefined ? executionContext.getHandler().name : JSON.stringify(pattern);
};

const endWith = (span: Span, error: unknown): void => {
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.end();
};

/**
 * One span per message handled: SERVER for a request, CONSUMER for an event. The transport has
 * already made the producer's trace (the message's `traceparent`) the active context, so the span
 * continues it and whatever the handler queries, sends or publishes is its child. Without a
 * tracing SDK the tracer is a no-op. HTTP handlers are left to the HTTP instrumentation.
 */
@Injectable()
export class MessageTracingInterceptor implements NestInterceptor {
  intercept(executionContext: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (executionContext.getType() !== 'rpc') return next.handle();
    const pattern = patternOf(executionContext);
    const isEvent =
      Reflect.getMetadata(PATTERN_HANDLER_METADATA, executionContext.getHandler()) ===
      PatternHandler.EVENT;
    const parent = context.active();
    const span = tracer.startSpan(
      `process ${pattern}`,
      {
        kind: isEvent ? SpanKind.CONSUMER : SpanKind.SERVER,
        attributes: {
          'messaging.operation.type': 'process',
          'messaging.destination.name': pattern,
          'messaging.message.kind': isEvent ? 'event' : 'request',
        },
      },
      parent,
    );
    // The handler runs when the stream is subscribed, so subscribing in the span's context runs it there.
    return new Observable((subscriber) =>
      context.with(trace.setSpan(parent, span), () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            endWith(span, error);
            subscriber.error(error);
          },
          complete: () => {
            span.end();
            subscriber.complete();
          },
        }),
      ),
    );
  }
}
