/**
 * What kind of failure a domain error is. Transports translate the kind, never the class:
 * HTTP maps it to a status in one filter, RPC to an error reply, so domain code stays transport-free.
 */
export type DomainErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'rate_limited';

/** Base of every domain error: a stable, documented `code` (e.g. `IDENTITY.EMAIL_TAKEN`) and a kind. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    /** Safe to show to the caller; never secrets or internals. */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
