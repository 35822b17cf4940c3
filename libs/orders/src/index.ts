export { ORDERS_PERSISTENCE } from './orders.persistence.js';
export { OrdersModule, type OrdersModuleAsyncOptions } from './orders.module.js';
export { type OrdersModuleOptions, OrdersSettings } from './services/orders-settings.js';
export { ORDERS_CONSUMERS } from './controllers/orders.message.controller.js';
export { OrdersConfig, ordersConfig } from './orders.config.js';
