export { isRole, ROLES, type Role } from './identity/roles.js';
export * from './messaging/index.js';
