import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Observable } from 'rxjs';
import { isHttp, setReplyHeader } from '../http-exchange.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { JwksUnavailableError } from './jwks-unavailable.error.js';
import { JWT_STRATEGY } from './jwt.strategy.js';
import { isPublicRoute } from './public.decorator.js';

const hasBearerToken = (request: { headers: Record<string, unknown> }): boolean => {
  const authorization = request.headers.authorization;
  return typeof authorization === 'string' && /^bearer\s+\S/i.test(authorization);
};

const isExpiry = (info: unknown): boolean =>
  info instanceof Error && info.name === 'TokenExpiredError';

/**
 * Global guard: every HTTP route needs a valid bearer access token unless marked @Public().
 * Failures answer 401 with an RFC 6750 `WWW-Authenticate` challenge telling the client whether
 * to log in (no token) or to refresh (invalid or expired token).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(
    context: ExecutionContext,
  ): boolean | Promise<boolean> | Observable<boolean> {
    if (!isHttp(context) || isPublicRoute(this.reflector, context)) return true;
    return super.canActivate(context);
  }

  override handleRequest<TUser = AuthenticatedUser>(
    error: unknown,
    user: TUser | false | null,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (!error && user) return user;
    // Anything but an authentication failure (a bug, an outage) must not pose as a 401.
    if (error instanceof Error && !(error instanceof UnauthorizedException)) throw error;
    // The keys to judge the token cannot be fetched: 503, never a 401 nor an unverified pass.
    if (info instanceof JwksUnavailableError) {
      setReplyHeader(context, 'Retry-After', String(info.retryAfterSeconds));
      throw info;
    }

    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    if (!hasBearerToken(request)) {
      setReplyHeader(context, 'WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('A bearer access token is required');
    }
    const description = isExpiry(info) ? 'The access token expired' : 'The access token is invalid';
    setReplyHeader(
      context,
      'WWW-Authenticate',
      `Bearer error="invalid_token", error_description="${description}"`,
    );
    throw new UnauthorizedException(description);
  }
}
