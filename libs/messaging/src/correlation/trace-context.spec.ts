import { testTracing } from '#lib/testing';
import { currentTraceparent, runInContinuedTrace } from './trace-context.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PRODUCER_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PRODUCER_SPAN_ID}-01`;

/** `[trace id, span id]` of a traceparent. */
const idsOf = (traceparent: string | undefined): [string?, string?] => {
  const [, traceId, spanId] = traceparent?.split('-') ?? [];
  return [traceId, spanId];
};

describe('runInContinuedTrace', () => {
  const sdk = testTracing();

  beforeAll(() => sdk.start());
  afterAll(() => sdk.shutdown());

  it("runs the work in a new span of the message's trace, so what it publishes carries that trace", async () => {
    const inside = await runInContinuedTrace('payments.charge', TRACEPARENT, async () =>
      currentTraceparent(),
    );

    const [traceId, spanId] = idsOf(inside);
    expect(traceId).toBe(TRACE_ID);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spanId).not.toBe(PRODUCER_SPAN_ID);
  });

  it('starts a trace of its own without a traceparent, and leaves none active afterwards', async () => {
    const inside = await runInContinuedTrace('payments.charge', undefined, async () =>
      currentTraceparent(),
    );

    expect(idsOf(inside)[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(idsOf(inside)[0]).not.toBe(TRACE_ID);
    expect(currentTraceparent()).toBeUndefined();
  });

  it("passes the work's failure on", async () => {
    await expect(
      runInContinuedTrace('payments.charge', TRACEPARENT, () =>
        Promise.reject(new Error('provider down')),
      ),
    ).rejects.toThrow('provider down');
  });
});
