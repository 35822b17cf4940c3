import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '#lib/guards';
import type { Payment } from '../domain/payment.js';
import { PaymentRepository } from '../repositories/payment.repository.js';

/**
 * The payments of an order, for its customer or an admin. Anyone else gets an empty list, exactly
 * as for an order that has no payment (yet): the answer never tells whether someone else's order
 * exists.
 */
@Injectable()
export class ListOrderPaymentsService {
  constructor(private readonly payments: PaymentRepository) {}

  async forOrder(orderId: string, viewer: AuthenticatedUser): Promise<Payment[]> {
    const payment = await this.payments.findByOrderId(orderId);
    if (payment === null) return [];
    const mayView = viewer.id === payment.customerId || viewer.roles.includes('admin');
    return mayView ? [payment] : [];
  }
}
