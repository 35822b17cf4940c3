export { isRole, ROLES, type Role } from './identity/roles.js';
export * from './messaging/index.js';
export * from './orders/index.js';
export * from './payments/index.js';
export * from './catalog/index.js';
