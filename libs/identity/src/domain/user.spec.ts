import type { Role } from '#lib/contracts';
import { Email } from './email.js';
import { User } from './user.js';
import { OwnAdminRoleRemovalError, RolesRequiredError, UnknownRoleError } from './user.errors.js';

const created = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-02T00:00:00Z');

const userWith = (roles: Role[]): User =>
  User.register({ email: Email.parse('ann@shop.example'), passwordHash: 'h', now: created, roles });

describe('User', () => {
  it('registers as a customer unless told otherwise', () => {
    const user = User.register({
      email: Email.parse('ann@shop.example'),
      passwordHash: 'h',
      now: created,
    });
    expect(user.roles).toEqual(['customer']);
    expect(user.createdAt).toEqual(created);
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('changing roles', () => {
    const admin = { id: 'another-admin' };

    it.each<[string, Role[], string[], { by: 'self' | 'other' }, Role[]]>([
      [
        'grants admin to a customer',
        ['customer'],
        ['customer', 'admin'],
        { by: 'other' },
        ['customer', 'admin'],
      ],
      [
        'withdraws admin from another admin',
        ['admin'],
        ['customer'],
        { by: 'other' },
        ['customer'],
      ],
      [
        'stores roles in canonical order without duplicates',
        ['customer'],
        ['admin', 'customer', 'admin'],
        { by: 'other' },
        ['customer', 'admin'],
      ],
      [
        'lets an admin keep admin while adding customer',
        ['admin'],
        ['admin', 'customer'],
        { by: 'self' },
        ['customer', 'admin'],
      ],
      [
        'lets a customer-only user be changed by themselves (no admin to lose)',
        ['customer'],
        ['customer'],
        { by: 'self' },
        ['customer'],
      ],
    ])('%s', (_case, before, requested, { by }, after) => {
      const user = userWith(before);
      user.changeRoles(requested, by === 'self' ? { id: user.id } : admin, later);
      expect(user.roles).toEqual(after);
      expect(user.updatedAt).toEqual(later);
    });

    it.each<[string, Role[], string[], { by: 'self' | 'other' }, new (...args: never[]) => Error]>([
      ['rejects an empty role list', ['customer'], [], { by: 'other' }, RolesRequiredError],
      [
        'rejects an unknown role',
        ['customer'],
        ['customer', 'superuser'],
        { by: 'other' },
        UnknownRoleError,
      ],
      [
        'forbids an admin to remove their own admin role',
        ['admin'],
        ['customer'],
        { by: 'self' },
        OwnAdminRoleRemovalError,
      ],
      [
        'forbids it even when customer and admin become customer',
        ['customer', 'admin'],
        ['customer'],
        { by: 'self' },
        OwnAdminRoleRemovalError,
      ],
    ])('%s', (_case, before, requested, { by }, expectedError) => {
      const user = userWith(before);
      expect(() =>
        user.changeRoles(requested, by === 'self' ? { id: user.id } : admin, later),
      ).toThrow(expectedError);
      expect(user.roles).toEqual(before);
      expect(user.updatedAt).toEqual(created);
    });
  });

  it('round-trips through a snapshot without sharing its role array', () => {
    const user = userWith(['customer']);
    const snapshot = user.toSnapshot();
    const restored = User.restore(snapshot);
    restored.changeRoles(['admin'], { id: 'x' }, later);
    expect(user.roles).toEqual(['customer']);
    expect(restored.toSnapshot()).toMatchObject({
      id: user.id,
      email: 'ann@shop.example',
      roles: ['admin'],
    });
  });
});
