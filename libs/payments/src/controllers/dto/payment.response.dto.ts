import { ApiProperty } from '@nestjs/swagger';
import type { Payment } from '../../domain/payment.js';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../domain/payment-status.js';

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** A payment as the API shows it: no provider internals, no retry bookkeeping. */
export class PaymentResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty({
    enum: PAYMENT_STATUSES,
    description:
      '`pending` (charge under way or scheduled), `succeeded`, `failed`, `cancelled` (order cancelled before any charge), `refund_pending`, `refunded`',
  })
  status!: PaymentStatus;

  @ApiProperty({ type: 'integer', description: 'Minor units (cents)', example: 2599 })
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'PAYMENTS.CARD_DECLINED',
    description: 'Why the payment failed: PAYMENTS.CARD_DECLINED or PAYMENTS.PROVIDER_UNAVAILABLE',
  })
  failureCode!: string | null;

  @ApiProperty({ type: String, nullable: true })
  failureReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  chargedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  failedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  refundedAt!: string | null;

  static from(payment: Payment): PaymentResponseDto {
    const snapshot = payment.toSnapshot();
    return {
      id: snapshot.id,
      orderId: snapshot.orderId,
      status: snapshot.status,
      amount: snapshot.amount,
      currency: snapshot.currency,
      failureCode: snapshot.failureCode,
      failureReason: snapshot.failureReason,
      createdAt: snapshot.createdAt.toISOString(),
      updatedAt: snapshot.updatedAt.toISOString(),
      chargedAt: iso(snapshot.chargedAt),
      failedAt: iso(snapshot.failedAt),
      cancelledAt: iso(snapshot.cancelledAt),
      refundedAt: iso(snapshot.refundedAt),
    };
  }
}
