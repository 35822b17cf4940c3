import { CancelledOrderRepository } from '../repositories/cancelled-order.repository.js';

export class InMemoryCancelledOrderRepository extends CancelledOrderRepository {
  readonly orderIds = new Set<string>();

  async remember(orderId: string): Promise<void> {
    this.orderIds.add(orderId);
  }

  async isCancelled(orderId: string): Promise<boolean> {
    return this.orderIds.has(orderId);
  }
}
