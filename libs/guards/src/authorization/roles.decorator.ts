import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '#lib/contracts';
import { OPEN_API_MARKERS } from '../open-api-markers.js';

export const ROLES_KEY = 'guards:roles';

/** Restricts a route or controller to callers holding at least one of these roles. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(OPEN_API_MARKERS.roles, roles));
