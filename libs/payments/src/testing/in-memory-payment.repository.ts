import { Payment } from '../domain/payment.js';
import { PaymentRepository } from '../repositories/payment.repository.js';

/** Test double: payments as snapshots in a map, so a loaded payment never aliases the stored one. */
export class InMemoryPaymentRepository extends PaymentRepository {
  private readonly byId = new Map<string, ReturnType<Payment['toSnapshot']>>();

  /** One process, no concurrency to order: there is nothing to lock. */
  async lockOrder(): Promise<void> {}

  async lockByOrderId(orderId: string): Promise<Payment | null> {
    return this.findByOrderId(orderId);
  }

  async lockById(id: string): Promise<Payment | null> {
    const snapshot = this.byId.get(id);
    return snapshot ? Payment.restore(snapshot) : null;
  }

  async leaseDue(now: Date, limit: number, leaseUntil: Date): Promise<Payment[]> {
    return this.dueAt(now)
      .slice(0, limit)
      .map((snapshot) => {
        this.byId.set(snapshot.id, {
          ...snapshot,
          attempts: snapshot.attempts + 1,
          nextAttemptAt: leaseUntil,
          updatedAt: now,
        });
        return Payment.restore(snapshot);
      });
  }

  async dueBacklog(now: Date): Promise<{ count: number; oldestDueAt: Date | null }> {
    const due = this.dueAt(now);
    return { count: due.length, oldestDueAt: due[0]?.nextAttemptAt ?? null };
  }

  /** Snapshots with work due at `now`, oldest due first. */
  private dueAt(now: Date): ReturnType<Payment['toSnapshot']>[] {
    return [...this.byId.values()]
      .filter(
        (payment) =>
          payment.nextAttemptAt !== null && payment.nextAttemptAt.getTime() <= now.getTime(),
      )
      .sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0));
  }

  async findByOrderId(orderId: string): Promise<Payment | null> {
    const snapshot = [...this.byId.values()].find((payment) => payment.orderId === orderId);
    return snapshot ? Payment.restore(snapshot) : null;
  }

  async insert(payment: Payment): Promise<boolean> {
    if (await this.findByOrderId(payment.orderId)) return false;
    this.byId.set(payment.id, payment.toSnapshot());
    return true;
  }

  async update(payment: Payment): Promise<void> {
    this.byId.set(payment.id, payment.toSnapshot());
  }

  /** Every stored payment, for assertions. */
  all(): Payment[] {
    return [...this.byId.values()].map((snapshot) => Payment.restore(snapshot));
  }
}
