import { ApiProperty } from '@nestjs/swagger';
import { MAX_LINE_QUANTITY, MAX_LINES } from '#lib/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class PlaceOrderItemDto {
  @ApiProperty({ format: 'uuid', description: 'A product of the catalog, on sale' })
  @IsUUID()
  productId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_LINE_QUANTITY, example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity!: number;
}

export class PlaceOrderRequestDto {
  @ApiProperty({
    type: [PlaceOrderItemDto],
    minItems: 1,
    maxItems: MAX_LINES,
    description: 'A product listed twice counts once, with the quantities added',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => PlaceOrderItemDto)
  items!: PlaceOrderItemDto[];
}
