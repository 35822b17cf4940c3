import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { Payment } from '../domain/payment.js';
import { CancelledOrderRepository } from '../repositories/cancelled-order.repository.js';
import { PaymentRepository } from '../repositories/payment.repository.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';

export interface OpenPaymentCommand {
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly correlationId: string;
  /** Of the placement: the charge continues its trace. */
  readonly traceparent?: string;
}

/** `opened`: a charge is due; `already_open`: the order had its payment; `cancelled`: never charged. */
export type OpenPaymentOutcome = 'opened' | 'already_open' | 'cancelled';

/**
 * An order was placed: records its payment with the charge due. It does not charge: the workers do,
 * outside the message's transaction, so a slow provider never holds up the event's delivery. One
 * payment per order, however many times (or in however many copies) the placement arrives: the
 * order id is the payment's natural key, so no processed-message record is needed (ADR 0061).
 */
@Injectable()
export class OpenPaymentService {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly cancelledOrders: CancelledOrderRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  open(command: OpenPaymentCommand): Promise<OpenPaymentOutcome> {
    return this.unitOfWork.run(async () => {
      await this.payments.lockOrder(command.orderId);
      const input = { ...command, now: this.clock.now() };
      const cancelled = await this.cancelledOrders.isCancelled(command.orderId);
      const payment = cancelled ? Payment.openForCancelledOrder(input) : Payment.open(input);
      // The unique order id answers "is it open already?" with no SELECT before the insert.
      if (!(await this.payments.insert(payment))) return 'already_open';
      return cancelled ? 'cancelled' : 'opened';
    });
  }
}
