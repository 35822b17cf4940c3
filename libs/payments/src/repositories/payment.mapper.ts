import { Payment } from '../domain/payment.js';
import { isPaymentStatus } from '../domain/payment-status.js';
import type { PaymentRecord } from './payment.record.js';

export const PaymentMapper = {
  /** The owner is the repository's, not the domain's: it stays out of the payment's state. */
  toDomain({
    owner: _owner,
    ...record
  }: Omit<PaymentRecord, 'owner'> & { owner?: unknown }): Payment {
    // The table's CHECK admits known statuses only; this guards against a skipped migration.
    if (!isPaymentStatus(record.status)) {
      throw new Error(`payment ${record.id} has an unknown status "${record.status}"`);
    }
    return Payment.restore({ ...record, status: record.status });
  },
};
