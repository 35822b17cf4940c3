import { ApiProperty } from '@nestjs/swagger';
import type { OrderPage } from '../../services/list-orders.service.js';
import { OrderResponseDto } from './order.response.dto.js';

export class OrderPageResponseDto {
  @ApiProperty({ type: [OrderResponseDto] })
  items!: OrderResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor!: string | null;

  static from(page: OrderPage): OrderPageResponseDto {
    return {
      items: page.orders.map((order) => OrderResponseDto.from(order)),
      nextCursor: page.nextCursor ?? null,
    };
  }
}
