import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header a caller may send its correlation id in, and in which every response echoes ours. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** The key under which the request id appears on every log line of a request. */
export const REQUEST_ID_LOG_KEY = 'requestId';

// The id is copied into logs and a response header, so only a bounded set of inert characters is
// accepted: no spaces, quotes or control characters that could forge log lines or split headers.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// W3C Trace Context: version-traceid-parentid-flags, lower-case hex. Versions after 00 may append
// fields, version ff is forbidden, and all-zero ids are invalid.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

function singleValue(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? header.trim() : undefined;
}

/** The trace id of a valid `traceparent` header, or undefined. */
export function traceIdFromTraceparent(header: string | undefined): string | undefined {
  const match = header === undefined ? null : TRACEPARENT.exec(header);
  if (!match) return undefined;
  const [, version, traceId, parentId, , extra] = match;
  if (version === 'ff' || (version === '00' && extra !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return traceId;
}

/**
 * The correlation id of a request: the caller's `x-request-id` when it is safe to reuse, else the
 * trace id of its `traceparent` (so logs and traces share one key), else a fresh UUID.
 */
export function resolveRequestId(headers: IncomingHttpHeaders): string {
  const given = singleValue(headers[REQUEST_ID_HEADER]);
  if (given !== undefined && SAFE_REQUEST_ID.test(given)) return given;
  return traceIdFromTraceparent(singleValue(headers.traceparent)) ?? randomUUID();
}

export interface RequestIdAdapterOptions {
  /** Takes any request with headers, so it fits HTTP/1 and HTTP/2 adapters alike. */
  genReqId: (request: { readonly headers: IncomingHttpHeaders }) => string;
  requestIdHeader: false;
}

/**
 * Options for `new FastifyAdapter({...})`: Fastify generates `request.id` with our rules instead of
 * trusting its header blindly; the logger and the response header then reuse that one id.
 * (No `requestIdLogLabel`: Fastify's own logger stays off, pino logs the id as `requestId`, and
 * Fastify 5 deprecates that option with a warning at every start.)
 */
export function requestIdAdapterOptions(): RequestIdAdapterOptions {
  return {
    genReqId: (request) => resolveRequestId(request.headers),
    requestIdHeader: false,
  };
}
