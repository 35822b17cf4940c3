import { ApiProperty } from '@nestjs/swagger';
import { ORDER_CANCELLATION_REASONS, type OrderCancellationReason } from '#lib/contracts';
import type { Order } from '../../domain/order.js';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order-status.js';
import {
  type OrderLineView,
  type OrderView,
  type RequestedItemView,
  toOrderView,
} from '../../services/order.view.js';

export class RequestedItemResponseDto implements RequestedItemView {
  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 2 })
  quantity!: number;
}

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
    description:
      'awaiting_stock → pending_payment → paid → shipped; awaiting_stock, pending_payment or paid → ' +
      'cancelled. `awaiting_stock`: accepted (202) while the catalog could not be reached; its ' +
      'stock is reserved and it is priced as soon as the catalog answers (then pending_payment), ' +
      'or it is cancelled (`out_of_stock`, `products_unavailable`) if the catalog refuses it.',
  })
  status!: OrderStatus;

  @ApiProperty({
    description: 'ISO 4217; an empty string while the order is awaiting_stock (not priced yet)',
    example: 'EUR',
  })
  currency!: string;

  @ApiProperty({
    type: 'integer',
    description: 'Sum of the lines, minor units; 0 while the order is awaiting_stock',
    example: 2500,
  })
  total!: number;

  @ApiProperty({
    type: [OrderLineResponseDto],
    description: 'As priced by the catalog; empty while the order is awaiting_stock',
  })
  lines!: OrderLineResponseDto[];

  @ApiProperty({
    type: [RequestedItemResponseDto],
    required: false,
    description:
      'What was asked for, one entry per product (repeated products added up). Sent on every ' +
      'order; missing only from the stored answer of an order placed before it existed.',
  })
  requestedItems?: RequestedItemResponseDto[];

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
    const { requestedItems, ...rest } = view;
    return {
      ...rest,
      lines: [...view.lines],
      ...(requestedItems && { requestedItems: [...requestedItems] }),
    };
  }
}
