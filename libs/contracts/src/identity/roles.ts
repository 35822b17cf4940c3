/** Roles carried in access tokens (`roles` claim). Every context checks them, so they are a contract. */
export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
