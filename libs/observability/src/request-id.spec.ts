import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { requestIdAdapterOptions, resolveRequestId, traceIdFromTraceparent } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('resolveRequestId', () => {
  it.each<[string, IncomingHttpHeaders, string]>([
    ['a safe x-request-id', { 'x-request-id': 'req-42_a.b:c' }, 'req-42_a.b:c'],
    [
      'a UUID x-request-id',
      { 'x-request-id': '3f1c2a8e-0000-4000-8000-000000000001' },
      '3f1c2a8e-0000-4000-8000-000000000001',
    ],
    ['a 128-character x-request-id', { 'x-request-id': 'a'.repeat(128) }, 'a'.repeat(128)],
    ['x-request-id over traceparent', { 'x-request-id': 'mine', traceparent: TRACEPARENT }, 'mine'],
    ['the trace id of a valid traceparent', { traceparent: TRACEPARENT }, TRACE_ID],
    [
      'the trace id when x-request-id is unsafe',
      { 'x-request-id': 'a b', traceparent: TRACEPARENT },
      TRACE_ID,
    ],
    [
      'the trace id of a future version with extra fields',
      { traceparent: `cc-${TRACE_ID}-00f067aa0ba902b7-01-extra` },
      TRACE_ID,
    ],
  ])('keeps %s', (_case, headers, expected) => {
    expect(resolveRequestId(headers)).toBe(expected);
  });

  it.each<[string, IncomingHttpHeaders]>([
    ['no header at all', {}],
    ['an empty x-request-id', { 'x-request-id': '' }],
    ['an x-request-id over 128 characters', { 'x-request-id': 'a'.repeat(129) }],
    ['an x-request-id with a space', { 'x-request-id': 'abc def' }],
    ['an x-request-id with a newline (log forging)', { 'x-request-id': 'abc\n{"level":"fatal"}' }],
    ['an x-request-id with quotes', { 'x-request-id': 'abc"def' }],
    ['an x-request-id with non-ASCII characters', { 'x-request-id': 'réq' }],
    ['a repeated x-request-id header', { 'x-request-id': ['one', 'two'] }],
    [
      'a traceparent with an upper-case trace id',
      { traceparent: `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01` },
    ],
    [
      'a traceparent with an all-zero trace id',
      { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` },
    ],
    [
      'a traceparent with an all-zero parent id',
      { traceparent: `00-${TRACE_ID}-${'0'.repeat(16)}-01` },
    ],
    [
      'a traceparent of the forbidden version ff',
      { traceparent: `ff-${TRACE_ID}-00f067aa0ba902b7-01` },
    ],
    ['a version 00 traceparent with extra fields', { traceparent: `${TRACEPARENT}-extra` }],
    ['a truncated traceparent', { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7` }],
    ['a traceparent with a short trace id', { traceparent: '00-4bf92f35-00f067aa0ba902b7-01' }],
  ])('generates a fresh UUID for %s', (_case, headers) => {
    const id = resolveRequestId(headers);
    expect(id).toMatch(UUID);
    expect(resolveRequestId(headers)).not.toBe(id);
  });
});

describe('traceIdFromTraceparent', () => {
  it('returns undefined when the header is absent', () => {
    expect(traceIdFromTraceparent(undefined)).toBeUndefined();
  });
});

describe('requestIdAdapterOptions', () => {
  it('makes Fastify resolve the id from the raw request headers instead of trusting its header', () => {
    const options = requestIdAdapterOptions();
    const request = { headers: { traceparent: TRACEPARENT } } as unknown as IncomingMessage;

    expect(options.requestIdHeader).toBe(false);
    expect(options.genReqId(request)).toBe(TRACE_ID);
  });
});
