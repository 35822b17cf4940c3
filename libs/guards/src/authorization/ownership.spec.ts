import type { Role } from '#lib/contracts';
import type { AuthenticatedUser } from '../authentication/authenticated-user.js';
import { assertOwnerOrAdmin, isOwnerOrAdmin } from './ownership.js';
import { ResourceNotFoundError } from './resource-not-found.error.js';

const user = (id: string, ...roles: Role[]): AuthenticatedUser => ({ id, roles, tokenId: 't' });

describe('ownership', () => {
  it.each([
    ['the owner', user('alice', 'customer'), 'alice', true],
    ['another customer', user('bob', 'customer'), 'alice', false],
    ['an admin', user('root', 'admin'), 'alice', true],
    ['a user without roles who is not the owner', user('eve'), 'alice', false],
  ])('decides whether %s may act on the resource', (_who, caller, ownerId, allowed) => {
    expect(isOwnerOrAdmin(caller, ownerId)).toBe(allowed);
  });

  it('lets the owner through without throwing', () => {
    expect(() => assertOwnerOrAdmin(user('alice', 'customer'), 'alice')).not.toThrow();
  });

  it('hides a resource owned by someone else as not found', () => {
    expect(() => assertOwnerOrAdmin(user('bob', 'customer'), 'alice')).toThrow(
      ResourceNotFoundError,
    );
  });

  it('reports RESOURCE.NOT_FOUND of kind not_found by default', () => {
    const thrown = (() => {
      try {
        assertOwnerOrAdmin(user('bob', 'customer'), 'alice');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toMatchObject({ code: 'RESOURCE.NOT_FOUND', kind: 'not_found' });
  });

  it("throws the context's own not-found error when given one", () => {
    class OrderNotFoundError extends Error {}
    expect(() =>
      assertOwnerOrAdmin(user('bob', 'customer'), 'alice', () => new OrderNotFoundError()),
    ).toThrow(OrderNotFoundError);
  });
});
