export { NOTIFICATION_QUEUE_JOBS_METRIC } from './clients/notification-queue.metrics.js';
export { NOTIFICATION_QUEUE } from './clients/notification-queue.js';
export { RecordingMailer } from './clients/recording.mailer.js';
export {
  NotificationDeliveryModule,
  type NotificationsModuleAsyncOptions,
} from './notification-delivery.module.js';
export {
  type NotificationsModuleOptions,
  resolveNotificationsOptions,
} from './notifications-options.js';
export { NOTIFICATIONS_PERSISTENCE } from './notifications.persistence.js';
export { NotificationsModule } from './notifications.module.js';
export { Mailer, type OutgoingMail } from './services/ports/mailer.port.js';
export { NotificationsConfig, notificationsConfig } from './notifications.config.js';
