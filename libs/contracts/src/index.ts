export { isRole, ROLES, type Role } from './identity/roles.js';
export * from './messaging/index.js';
export * from './orders/index.js';
export * from './payments/index.js';
export * from './catalog/index.js';
export {
  ERROR_CODE_DESCRIPTIONS,
  type MessageClass,
  type PayloadOf,
  PUBLISHED_EVENTS,
  PUBLISHED_REQUESTS,
  type PublishedEvent,
  type PublishedEventType,
  type PublishedPattern,
  type PublishedRequest,
  type ReplyOf,
  type RequestOf,
} from './published-messages.js';
