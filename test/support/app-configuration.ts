import {
  type Configuration,
  type Environment,
  PLATFORM_CONFIG_SECTIONS,
  readConfiguration,
} from '#lib/config';
// The section files themselves: the contexts' entry points load their Nest modules, which this
// needs not (and some of which Jest cannot load).
import { catalogConfig } from '../../libs/catalog/src/catalog.config.js';
import { identityConfig } from '../../libs/identity/src/identity.config.js';
import { notificationsConfig } from '../../libs/notifications/src/notifications.config.js';
import { ordersConfig } from '../../libs/orders/src/orders.config.js';
import { paymentsConfig } from '../../libs/payments/src/payments.config.js';

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
