import { type ExecutionContext, Injectable, type Type } from '@nestjs/common';
import {
  type Resolvable,
  type ThrottlerGenerateKeyFunction,
  type ThrottlerGetTrackerFunction,
  type ThrottlerLimitDetail,
  type ThrottlerOptions,
  ThrottlerGuard,
} from '@nestjs/throttler';
import type { AuthenticatedUser } from '../authentication/authenticated-user.js';
import { isHttp, setReplyHeader } from '../http-exchange.js';
import { SKIP_THROTTLE_KEY } from './skip-throttle.decorator.js';

interface TrackedRequest {
  user?: AuthenticatedUser;
  ip: string;
}

/** One throttler's settings for one route, as @nestjs/throttler's metadata and options give them. */
interface RouteThrottler {
  readonly throttler: ThrottlerOptions;
  readonly limit: Resolvable<number>;
  readonly ttl: Resolvable<number>;
  readonly blockDuration: Resolvable<number> | undefined;
  readonly getTracker: ThrottlerGetTrackerFunction;
  readonly generateKey: ThrottlerGenerateKeyFunction;
}

/** What a route's requests are limited by: read from metadata once, on its first request. */
interface RouteThrottling {
  readonly skipped: boolean;
  readonly keyPrefix: string;
  readonly throttlers: readonly RouteThrottler[];
}

// @nestjs/throttler's metadata keys (its decorators' `THROTTLER:*` plus the throttler's name);
// the package does not export them.
const routeSetting = (setting: string, throttler: ThrottlerOptions): string =>
  `THROTTLER:${setting}${throttler.name ?? 'default'}`;

type Handler = ReturnType<ExecutionContext['getHandler']>;

const resolve = async (value: Resolvable<number>, context: ExecutionContext): Promise<number> =>
  typeof value === 'function' ? value(context) : value;

/**
 * Global guard, after authentication: limits each user (or, on public routes, each client IP)
 * per route, with counters in Redis shared by all replicas.
 *
 * Behaves as @nestjs/throttler's guard (its `@Throttle`/`@SkipThrottle` metadata, skipIf, headers,
 * 429), but reads a route's metadata once instead of six reflector look-ups per request, and keys
 * counters by route and tracker in clear instead of a SHA-256 per request (a tracker is a user id
 * or an address: short, and no secret). Together they were about a tenth of a cached product
 * read's CPU (bench/RESULTS.md, 2026-12-06).
 */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  private readonly routes = new WeakMap<Handler, Map<Type, RouteThrottling>>();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!isHttp(context)) return true;
    const route = this.routeOf(context);
    if (route.skipped) return true;
    for (const setting of route.throttlers) {
      const skipIf = setting.throttler.skipIf ?? this.commonOptions.skipIf;
      if (skipIf?.(context)) continue;
      const ttl = await resolve(setting.ttl, context);
      // handleRequest throws the 429 itself; it returns only to let the request through.
      await this.handleRequest({
        context,
        throttler: setting.throttler,
        limit: await resolve(setting.limit, context),
        ttl,
        blockDuration:
          setting.blockDuration === undefined ? ttl : await resolve(setting.blockDuration, context),
        getTracker: setting.getTracker,
        generateKey: setting.generateKey,
      });
    }
    return true;
  }

  protected override generateKey(
    context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `${this.routeOf(context).keyPrefix}${throttlerName}:${tracker}`;
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

  private routeOf(context: ExecutionContext): RouteThrottling {
    const handler = context.getHandler();
    const controller = context.getClass();
    // By handler and class: a method inherited by two controllers is two routes.
    let byController = this.routes.get(handler);
    if (!byController) this.routes.set(handler, (byController = new Map<Type, RouteThrottling>()));
    let route = byController.get(controller);
    if (!route) byController.set(controller, (route = this.readRoute(handler, controller)));
    return route;
  }

  private readRoute(handler: Handler, controller: Type): RouteThrottling {
    const setting = <T>(key: string): T | undefined =>
      this.reflector.getAllAndOverride<T | undefined>(key, [handler, controller]);
    return {
      skipped: setting<boolean>(SKIP_THROTTLE_KEY) === true,
      keyPrefix: `${controller.name}-${handler.name}-`,
      throttlers: this.throttlers
        .filter((throttler) => setting<boolean>(routeSetting('SKIP', throttler)) !== true)
        .map((throttler) => ({
          throttler,
          limit: setting(routeSetting('LIMIT', throttler)) ?? throttler.limit,
          ttl: setting(routeSetting('TTL', throttler)) ?? throttler.ttl,
          blockDuration:
            setting(routeSetting('BLOCK_DURATION', throttler)) ?? throttler.blockDuration,
          getTracker:
            setting(routeSetting('TRACKER', throttler)) ??
            throttler.getTracker ??
            (this.commonOptions.getTracker as ThrottlerGetTrackerFunction),
          generateKey:
            setting(routeSetting('KEY_GENERATOR', throttler)) ??
            throttler.generateKey ??
            (this.commonOptions.generateKey as ThrottlerGenerateKeyFunction),
        })),
    };
  }
}
