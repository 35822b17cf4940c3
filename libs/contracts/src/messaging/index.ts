export {
  MESSAGE_NAME_PATTERN,
  type MessageEnvelope,
  messageNameVersion,
} from './message-envelope.js';
export { MESSAGING_ERROR_CODES, type MessagingErrorCode } from './messaging-error-codes.js';
export {
  type FieldViolation,
  isRpcErrorPayload,
  type RpcErrorPayload,
} from './rpc-error-payload.js';
