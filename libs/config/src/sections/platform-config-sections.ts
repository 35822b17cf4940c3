import type { ConfigSection } from '../config-section.js';
import { authConfig } from './auth.config.js';
import { databaseConfig } from './database.config.js';
import { httpConfig } from './http.config.js';
import { logConfig } from './log.config.js';
import { messagingConfig } from './messaging.config.js';
import { redisConfig } from './redis.config.js';
import { serviceConfig } from './service.config.js';
import { shutdownConfig } from './shutdown.config.js';
import { throttleConfig } from './throttle.config.js';
import { tracingConfig } from './tracing.config.js';

/** The sections every app reads, whatever contexts it runs; ConfigModule provides them globally. */
export const PLATFORM_CONFIG_SECTIONS: readonly ConfigSection[] = [
  serviceConfig,
  httpConfig,
  databaseConfig,
  redisConfig,
  messagingConfig,
  logConfig,
  tracingConfig,
  authConfig,
  throttleConfig,
  shutdownConfig,
];
