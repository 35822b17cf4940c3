import { ApiProperty } from '@nestjs/swagger';
import type { Payment } from '../../domain/payment.js';
import { PaymentResponseDto } from './payment.response.dto.js';

export class PaymentListResponseDto {
  @ApiProperty({ type: [PaymentResponseDto] })
  items!: PaymentResponseDto[];

  static from(payments: readonly Payment[]): PaymentListResponseDto {
    return { items: payments.map((payment) => PaymentResponseDto.from(payment)) };
  }
}
