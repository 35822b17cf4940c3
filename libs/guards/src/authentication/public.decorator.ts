import { applyDecorators, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { OPEN_API_MARKERS } from '../open-api-markers.js';

export const IS_PUBLIC_KEY = 'guards:is-public';

/** Opts a route or controller out of authentication; every other route requires a bearer token. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(OPEN_API_MARKERS.public, true));

export const isPublicRoute = (reflector: Reflector, context: ExecutionContext): boolean =>
  reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
    context.getHandler(),
    context.getClass(),
  ]) === true;
