import { Notification } from '../domain/notification.js';
import {
  type NotificationPosition,
  NotificationRepository,
} from '../repositories/notification.repository.js';

/** Test double with the adapter's semantics: snapshots in, fresh objects out. */
export class InMemoryNotificationRepository extends NotificationRepository {
  private readonly rows = new Map<string, ReturnType<Notification['toSnapshot']>>();
  failSaves = false;

  insertIfAbsent(notification: Notification): Promise<boolean> {
    const row = notification.toSnapshot();
    const clash = [...this.rows.values()].some(
      (other) => other.eventId === row.eventId && other.template === row.template,
    );
    if (clash) return Promise.resolve(false);
    if (this.rows.has(row.id)) return Promise.reject(new Error('unique violation'));
    this.rows.set(row.id, row);
    return Promise.resolve(true);
  }

  findById(id: string): Promise<Notification | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? Notification.restore(row) : null);
  }

  findByEvent(eventId: string, template: string): Promise<Notification | null> {
    const row = [...this.rows.values()].find(
      (candidate) => candidate.eventId === eventId && candidate.template === template,
    );
    return Promise.resolve(row ? Notification.restore(row) : null);
  }

  saveDelivery(notification: Notification): Promise<void> {
    if (this.failSaves) return Promise.reject(new Error('database unavailable'));
    const { id, status, attempts, sentAt } = notification.toSnapshot();
    const row = this.rows.get(id);
    if (row) this.rows.set(id, { ...row, status, attempts, sentAt });
    return Promise.resolve();
  }

  listForCustomer(
    customerId: string,
    before: NotificationPosition | undefined,
    limit: number,
  ): Promise<Notification[]> {
    const newestFirst = (a: NotificationPosition, b: NotificationPosition): number =>
      b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id);
    const rows = [...this.rows.values()]
      .filter((row) => row.customerId === customerId)
      .filter((row) => !before || newestFirst(before, row) < 0)
      .sort(newestFirst)
      .slice(0, limit);
    return Promise.resolve(rows.map((row) => Notification.restore(row)));
  }

  all(): Notification[] {
    return [...this.rows.values()].map((row) => Notification.restore(row));
  }
}
