import type { AuthenticatedUser } from '../authentication/authenticated-user.js';
import { ResourceNotFoundError } from './resource-not-found.error.js';

/** Customers may act on what they own; admins on everything. */
export const isOwnerOrAdmin = (user: AuthenticatedUser, ownerId: string): boolean =>
  user.id === ownerId || user.roles.includes('admin');

/**
 * Throws a not-found error unless the caller owns the resource or is an admin. Pass your context's
 * own not-found error to keep its error code; the default is RESOURCE.NOT_FOUND.
 */
export function assertOwnerOrAdmin(
  user: AuthenticatedUser,
  ownerId: string,
  notFound: () => Error = () => new ResourceNotFoundError(),
): void {
  if (!isOwnerOrAdmin(user, ownerId)) throw notFound();
}
