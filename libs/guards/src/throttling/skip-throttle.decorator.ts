import { SetMetadata } from '@nestjs/common';

export const SKIP_THROTTLE_KEY = 'guards:skip-throttle';

/**
 * Exempts a route or controller from rate limiting (probes, metrics scrapes). Ours rather than the
 * package's: importing @nestjs/throttler would make the controller unloadable under Jest.
 */
export const SkipThrottle = (): MethodDecorator & ClassDecorator =>
  SetMetadata(SKIP_THROTTLE_KEY, true);
