import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from './authenticated-user.js';

/** Injects the authenticated caller into a handler parameter: `me(@CurrentUser() user: AuthenticatedUser)`. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const { user } = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>();
    // Only a programming error gets here: the route is @Public() yet asks for the caller.
    if (!user) throw new Error('@CurrentUser() used on a route that does not authenticate');
    return user;
  },
);
