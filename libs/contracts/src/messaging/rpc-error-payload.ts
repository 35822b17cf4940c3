/** One invalid field of a message: its dotted path (`items.0.quantity`) and what is wrong with it. */
export interface FieldViolation {
  readonly field: string;
  readonly messages: readonly string[];
}

/**
 * The error a request handler replies with, as it travels on the wire. Callers branch on `code`
 * (stable, documented); `kind` is the domain error kind (`not_found`, `conflict`, ...) so a caller
 * can translate errors it does not know one by one.
 */
export interface RpcErrorPayload {
  readonly code: string;
  readonly message: string;
  readonly kind?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function isRpcErrorPayload(value: unknown): value is RpcErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message, kind, details } = value as Record<string, unknown>;
  return (
    typeof code === 'string' &&
    code.length > 0 &&
    typeof message === 'string' &&
    (kind === undefined || typeof kind === 'string') &&
    (details === undefined || (typeof details === 'object' && details !== null))
  );
}
