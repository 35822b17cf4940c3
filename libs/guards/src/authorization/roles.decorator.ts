import { SetMetadata } from '@nestjs/common';
import type { Role } from '#lib/contracts';

export const ROLES_KEY = 'guards:roles';

/** Restricts a route or controller to callers holding at least one of these roles. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);
