import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '#lib/contracts';
import type { AuthenticatedUser } from '../authentication/authenticated-user.js';
import { isPublicRoute } from '../authentication/public.decorator.js';
import { isHttp } from '../http-exchange.js';
import { ROLES_KEY } from './roles.decorator.js';

/** Global guard, after authentication: enforces @Roles(...) with 403 for a caller lacking them. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (!isHttp(context) || isPublicRoute(this.reflector, context)) return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;

    const { user } = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>();
    if (user?.roles.some((role) => required.includes(role))) return true;
    throw new ForbiddenException(`This operation requires the role ${required.join(' or ')}`);
  }
}
