import type { ExecutionContext } from '@nestjs/common';
import { PATTERN_HANDLER_METADATA } from '@nestjs/microservices/constants.js';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum.js';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { defer, lastValueFrom, of, throwError } from 'rxjs';
import { MessageTracingInterceptor } from './message-tracing.interceptor.js';
import { RecordingSpanProcessor } from '../testing/recording-span-processor.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PRODUCER_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PRODUCER_SPAN_ID}-01`;

function handlerOf(kind: PatternHandler): () => void {
  const handler = (): void => undefined;
  Reflect.defineMetadata(PATTERN_HANDLER_METADATA, kind, handler);
  return handler;
}

const rpcContext = (pattern: string, kind: PatternHandler): ExecutionContext =>
  ({
    getType: () => 'rpc',
    getHandler: () => handlerOf(kind),
    switchToRpc: () => ({ getContext: () => ({ getPattern: () => pattern }) }),
  }) as unknown as ExecutionContext;

/** As the transports run a handler: in the trace the message's traceparent names. */
const asConsumerOf = <T>(traceparent: string, work: () => Promise<T>): Promise<T> =>
  context.with(propagation.extract(ROOT_CONTEXT, { traceparent }), work);

describe('MessageTracingInterceptor', () => {
  const recorder = new RecordingSpanProcessor();
  const sdk = new NodeSDK({ spanProcessors: [recorder], instrumentations: [] });
  const interceptor = new MessageTracingInterceptor();

  beforeAll(() => sdk.start());
  afterAll(() => sdk.shutdown());
  beforeEach(() => recorder.spans.splice(0));

  it("continues the producer's trace with a consumer span around an event handler", async () => {
    const activeInHandler = await asConsumerOf(TRACEPARENT, () =>
      lastValueFrom(
        interceptor.intercept(rpcContext('orders.v1.order-placed', PatternHandler.EVENT), {
          handle: () => defer(() => of(trace.getActiveSpan()?.spanContext().spanId)),
        }),
      ),
    );

    const [span] = recorder.spans;
    expect(recorder.spans).toHaveLength(1);
    expect(span?.name).toBe('process orders.v1.order-placed');
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(PRODUCER_SPAN_ID);
    // What the handler queries or publishes is a child of this span.
    expect(activeInHandler).toBe(span?.spanContext().spanId);
  });

  it('opens a server span for a request and records its failure', async () => {
    const reply = asConsumerOf(TRACEPARENT, () =>
      lastValueFrom(
        interceptor.intercept(
          rpcContext('catalog.v1.basket.price-and-reserve', PatternHandler.MESSAGE),
          {
            handle: () => throwError(() => new Error('out of stock')),
          },
        ),
      ),
    );

    await expect(reply).rejects.toThrow('out of stock');
    const [span] = recorder.spans;
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'out of stock' });
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
  });

  it('leaves HTTP handlers to the HTTP instrumentation', async () => {
    const httpContext = { getType: () => 'http' } as unknown as ExecutionContext;

    await lastValueFrom(interceptor.intercept(httpContext, { handle: () => of('ok') }));

    expect(recorder.spans).toHaveLength(0);
  });
});
