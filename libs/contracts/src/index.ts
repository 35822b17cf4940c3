export { isRole, ROLES, type Role } from './identity/roles.js';
