import type { ExecutionContext } from '@nestjs/common';

/** Fastify replies expose `header()`, Node/Express responses `setHeader()`; accept either. */
interface HeaderWritable {
  header?: (name: string, value: string) => unknown;
  setHeader?: (name: string, value: string) => unknown;
}

/**
 * Sets a header on the reply that the exception filter will send, so a guard can attach
 * `WWW-Authenticate` or `Retry-After` to the error response it is about to cause.
 */
export function setReplyHeader(context: ExecutionContext, name: string, value: string): void {
  const reply = context.switchToHttp().getResponse<HeaderWritable>();
  if (typeof reply.header === 'function') reply.header(name, value);
  else if (typeof reply.setHeader === 'function') reply.setHeader(name, value);
}

/**
 * Guards are global, so with `inheritAppConfig` they also see RPC and event handlers. Bearer tokens,
 * roles and HTTP rate limits only mean something on HTTP; messages are trusted at the transport.
 */
export const isHttp = (context: ExecutionContext): boolean => context.getType() === 'http';
