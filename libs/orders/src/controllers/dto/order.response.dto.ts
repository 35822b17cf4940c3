import { ApiProperty } from '@nestjs/swagger';
import { ORDER_CANCELLATION_REASONS, type OrderCancellationReason } from '#lib/contracts';
import type { Order } from '../../domain/order.js';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order-status.js';
import { type OrderLineView, type OrderView, toOrderView } from '../../services/order.view.js';

export class OrderLineResponseDto implements OrderLineView {
  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty({ example: 'MUG-BLUE-01' })
  sku!: string;

  @ApiProperty({ example: 'Blue mug' })
  name!: string;

  @ApiProperty({
    type: 'integer',
    description: 'Minor units (cents), as priced when the order was placed',
    example: 1250,
  })
  unitPrice!: number;

  @ApiProperty({ type: 'integer', minimum: 1, example: 2 })
  quantity!: number;

  @ApiProperty({ type: 'integer', description: 'unitPrice × quantity, minor units', example: 2500 })
  lineTotal!: number;
}

export class OrderResponseDto implements OrderView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({
    enum: ORDER_STATUSES,
    description: 'pending_payment → paid → shipped; pending_payment or paid → cancelled',
  })
  status!: OrderStatus;

  @ApiProperty({ description: 'ISO 4217', example: 'EUR' })
  currency!: string;

  @ApiProperty({ type: 'integer', description: 'Sum of the lines, minor units', example: 2500 })
  total!: number;

  @ApiProperty({ type: [OrderLineResponseDto] })
  lines!: OrderLineResponseDto[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  paymentId!: string | null;

  @ApiProperty({ enum: ORDER_CANCELLATION_REASONS, nullable: true })
  cancellationReason!: OrderCancellationReason | null;

  @ApiProperty({
    type: 'integer',
    description: 'Increases with every change of the order',
    example: 1,
  })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(order: Order): OrderResponseDto {
    return OrderResponseDto.fromView(toOrderView(order));
  }

  static fromView(view: OrderView): OrderResponseDto {
    return { ...view, lines: [...view.lines] };
  }
}
