export {
  MESSAGE_NAME_PATTERN,
  type MessageEnvelope,
  messageNameVersion,
} from './message-envelope.js';
export { MessageEnvelopeSchema } from './message-envelope.schema.js';
export { IS_CURRENCY_CODE_OR_NULL, IsCurrencyCodeOrNull } from './is-currency-code-or-null.js';
export { MESSAGING_ERROR_CODES, type MessagingErrorCode } from './messaging-error-codes.js';
export {
  type FieldViolation,
  isRpcErrorPayload,
  type RpcErrorPayload,
} from './rpc-error-payload.js';
export { FieldViolationSchema, RpcErrorReply, ValidationFailedDetails } from './rpc-error-reply.js';
