import { type ExecutionContext, Injectable } from '@nestjs/common';
import { type ThrottlerLimitDetail, ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedUser } from '../authentication/authenticated-user.js';
import { isHttp, setReplyHeader } from '../http-exchange.js';
import { SKIP_THROTTLE_KEY } from './skip-throttle.decorator.js';

interface TrackedRequest {
  user?: AuthenticatedUser;
  ip: string;
}

/**
 * Global guard, after authentication: limits each user (or, on public routes, each client IP)
 * per route, with counters in Redis shared by all replicas.
 */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (!isHttp(context)) return true;
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(SKIP_THROTTLE_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }

  protected override async getTracker(request: TrackedRequest): Promise<string> {
    // Per user, so customers behind one NAT or proxy do not share a budget.
    return request.user ? `user:${request.user.id}` : `ip:${await super.getTracker(request)}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    // The package only names the header plainly for the "default" throttler; clients look for this one.
    setReplyHeader(context, 'Retry-After', String(detail.timeToBlockExpire));
    return super.throwThrottlingException(context, detail);
  }
}
