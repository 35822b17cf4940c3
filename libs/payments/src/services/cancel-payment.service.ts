import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { CancelledOrderRepository } from '../repositories/cancelled-order.repository.js';
import { PaymentRepository } from '../repositories/payment.repository.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';

export interface CancelPaymentCommand {
  readonly orderId: string;
  readonly customerId: string;
}

/**
 * `cancelled`: nothing had been charged; `refund_due`: the charge is refunded next;
 * `settling`: a charge attempt may be in flight, it is refunded if it went through;
 * `remembered`: the placement has not arrived yet, it will not be charged; `unchanged`: nothing to do.
 */
export type CancelPaymentOutcome =
  'cancelled' | 'refund_due' | 'settling' | 'remembered' | 'unchanged';

/**
 * An order was cancelled. Our own record decides what that means (not the event's `wasPaid`, which
 * says what orders knew when it cancelled, possibly before our success reached it): a successful
 * charge is refunded, a charge still in doubt is refunded once it settles, an uncharged payment is
 * cancelled. The refund itself is made by the workers, like charges.
 */
@Injectable()
export class CancelPaymentService {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly cancelledOrders: CancelledOrderRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  cancel(command: CancelPaymentCommand): Promise<CancelPaymentOutcome> {
    return this.unitOfWork.run(async () => {
      const now = this.clock.now();
      const payment = await this.payments.lockByOrderId(command.orderId);
      if (payment === null) {
        await this.cancelledOrders.remember(command.orderId, command.customerId, now);
        return 'remembered';
      }
      if (!payment.requestCancellation(now)) return 'unchanged';
      await this.payments.update(payment);
      if (payment.status === 'cancelled') return 'cancelled';
      return payment.status === 'refund_pending' ? 'refund_due' : 'settling';
    });
  }
}
