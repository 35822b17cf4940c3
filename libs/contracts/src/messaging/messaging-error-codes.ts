/**
 * Codes of failures the messaging layer itself raises. Handlers' domain errors travel with their own
 * codes (`CATALOG.OUT_OF_STOCK`); these say the message never reached, or never left, a handler.
 */
export const MESSAGING_ERROR_CODES = {
  /** The payload broke its contract; the field list is in `details.violations`. Never retried. */
  VALIDATION_FAILED: 'MESSAGING.VALIDATION_FAILED',
  /** No reply within the caller's timeout; the handler may still have acted. */
  TIMEOUT: 'MESSAGING.TIMEOUT',
  /** Nobody answers this pattern. */
  NO_HANDLER: 'MESSAGING.NO_HANDLER',
  /** The transport is not connected (starting, stopping or broker down). Worth retrying later. */
  UNAVAILABLE: 'MESSAGING.UNAVAILABLE',
  /** The handler failed unexpectedly; its message is logged by the handler's side, not sent. */
  INTERNAL: 'MESSAGING.INTERNAL_ERROR',
} as const;

export type MessagingErrorCode = (typeof MESSAGING_ERROR_CODES)[keyof typeof MESSAGING_ERROR_CODES];
