import { catalogConfig } from '#lib/catalog';
import {
  type Configuration,
  type Environment,
  PLATFORM_CONFIG_SECTIONS,
  readConfiguration,
} from '#lib/config';
import { identityConfig } from '#lib/identity';
import { notificationsConfig } from '#lib/notifications';
import { ordersConfig } from '#lib/orders';
import { paymentsConfig } from '#lib/payments';

const CONTEXT_SECTIONS = {
  identity: [identityConfig],
  catalog: [catalogConfig],
  orders: [ordersConfig],
  payments: [paymentsConfig],
  notifications: [notificationsConfig],
};

export type AppName = keyof typeof CONTEXT_SECTIONS | 'monolith';

/**
 * What an app validates at start-up: the platform sections and those of the contexts it runs
 * (apps/<app>/src declares them through its modules' `forRootFromEnv()`). Throws
 * ConfigValidationError as the app would refuse to start.
 */
export function appConfiguration(app: AppName, environment: Environment): Configuration {
  const contexts =
    app === 'monolith' ? Object.values(CONTEXT_SECTIONS).flat() : CONTEXT_SECTIONS[app];
  return readConfiguration([...PLATFORM_CONFIG_SECTIONS, ...contexts], environment);
}
