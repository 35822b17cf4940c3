import { ApiProperty } from '@nestjs/swagger';
import type { ProductPage } from '../../services/list-products.service.js';
import { ProductResponseDto } from './product.response.dto.js';

export class ProductPageResponseDto {
  @ApiProperty({ type: [ProductResponseDto] })
  items!: ProductResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Pass as `cursor` (with the same q, sort and order) for the next page; null on the last page',
  })
  nextCursor!: string | null;

  static from(page: ProductPage): ProductPageResponseDto {
    return {
      items: page.products.map((product) => ProductResponseDto.from(product)),
      nextCursor: page.nextCursor ?? null,
    };
  }
}
