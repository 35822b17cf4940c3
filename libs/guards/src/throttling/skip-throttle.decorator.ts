import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { OPEN_API_MARKERS } from '../open-api-markers.js';

export const SKIP_THROTTLE_KEY = 'guards:skip-throttle';

/**
 * Exempts a route or controller from rate limiting (probes, metrics scrapes). Ours rather than the
 * package's: importing @nestjs/throttler would make the controller unloadable under Jest.
 */
export const SkipThrottle = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(SKIP_THROTTLE_KEY, true),
    ApiExtension(OPEN_API_MARKERS.rateLimited, false),
  );
