import { type ExecutionContext, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '#lib/contracts';
import type { AuthenticatedUser } from '../authentication/authenticated-user.js';
import { Public } from '../authentication/public.decorator.js';
import { Roles } from './roles.decorator.js';
import { RolesGuard } from './roles.guard.js';

class OpenController {
  anything(): void {}
  @Roles('admin')
  adminOnly(): void {}
  @Roles('customer', 'admin')
  customersAndAdmins(): void {}
  @Public()
  @Roles('admin')
  publicDespiteRoles(): void {}
}

@Roles('admin')
class AdminController {
  list(): void {}
  @Roles('customer')
  customerOverride(): void {}
}

@Public()
class PublicController {
  catalogue(): void {}
}

const customer: AuthenticatedUser = { id: 'c', roles: ['customer'], tokenId: 't1' };
const admin: AuthenticatedUser = { id: 'a', roles: ['admin'], tokenId: 't2' };

function contextFor(
  controller: new () => object,
  handlerName: string,
  user: AuthenticatedUser | undefined,
  type: 'http' | 'rpc' = 'http',
): ExecutionContext {
  const handler = (controller.prototype as Record<string, () => void>)[handlerName];
  return {
    getType: () => type,
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

const guard = new RolesGuard(new Reflector());

describe('RolesGuard', () => {
  it.each<[string, new () => object, string, AuthenticatedUser | undefined]>([
    ['a public controller, without a caller', PublicController, 'catalogue', undefined],
    [
      'a public route that also names roles, without a caller',
      OpenController,
      'publicDespiteRoles',
      undefined,
    ],
    ['a route requiring no role, for a customer', OpenController, 'anything', customer],
    ['an admin route, for an admin', OpenController, 'adminOnly', admin],
    ['a customer-or-admin route, for a customer', OpenController, 'customersAndAdmins', customer],
    ['a customer-or-admin route, for an admin', OpenController, 'customersAndAdmins', admin],
    ['an admin controller, for an admin', AdminController, 'list', admin],
    [
      'a handler overriding its admin controller, for a customer',
      AdminController,
      'customerOverride',
      customer,
    ],
  ])('allows %s', (_case, controller, handler, user) => {
    expect(guard.canActivate(contextFor(controller, handler, user))).toBe(true);
  });

  it.each<[string, new () => object, string, AuthenticatedUser | undefined]>([
    ['an admin route, for a customer', OpenController, 'adminOnly', customer],
    ['an admin controller, for a customer', AdminController, 'list', customer],
    [
      'a handler overriding its admin controller, for an admin',
      AdminController,
      'customerOverride',
      admin,
    ],
    ['an admin route, without a caller', OpenController, 'adminOnly', undefined],
    [
      'an admin route, for a caller with no roles',
      OpenController,
      'adminOnly',
      { id: 'x', roles: [] as Role[], tokenId: 't' },
    ],
  ])('forbids %s', (_case, controller, handler, user) => {
    expect(() => guard.canActivate(contextFor(controller, handler, user))).toThrow(
      ForbiddenException,
    );
  });

  it('leaves message handlers to the transport, whatever roles they name', () => {
    expect(guard.canActivate(contextFor(OpenController, 'adminOnly', undefined, 'rpc'))).toBe(true);
  });
});
