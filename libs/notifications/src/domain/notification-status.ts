/** `queued` until a delivery succeeds (`sent`) or the last allowed attempt fails (`failed`). */
export const NOTIFICATION_STATUSES = ['queued', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
