import { ApiProperty } from '@nestjs/swagger';
import type { Product } from '../../domain/product.js';
import { PriceDto } from './price.dto.js';

export class ProductResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'MUG-BLUE-01' })
  sku!: string;

  @ApiProperty({ example: 'Blue mug' })
  name!: string;

  @ApiProperty({ example: 'Stoneware, 350 ml' })
  description!: string;

  @ApiProperty({ type: PriceDto })
  price!: PriceDto;

  @ApiProperty({
    type: 'integer',
    example: 12,
    description: 'Units on hand, not reserved by orders',
  })
  stock!: number;

  @ApiProperty({ description: 'False once an admin took the product off sale' })
  active!: boolean;

  @ApiProperty({
    type: 'integer',
    example: 3,
    description: 'Grows with every change; send it back (or the ETag as If-Match) to edit',
  })
  version!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;

  static from(product: Product): ProductResponseDto {
    return {
      id: product.id,
      sku: product.sku,
      name: product.name,
      description: product.description,
      price: PriceDto.from(product.price),
      stock: product.stock,
      active: product.active,
      version: product.version,
      createdAt: product.createdAt.toISOString(),
      updatedAt: product.updatedAt.toISOString(),
    };
  }
}
