import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_STOCK } from '../../domain/product.js';
import { PriceDto } from './price.dto.js';

export class CreateProductRequestDto {
  @ApiProperty({
    example: 'MUG-BLUE-01',
    description: 'Unique; stored upper-case. Letters, digits, dots, dashes, underscores',
  })
  @IsString()
  @MaxLength(64)
  sku!: string;

  @ApiProperty({ example: 'Blue mug', maxLength: MAX_NAME_LENGTH })
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  name!: string;

  @ApiPropertyOptional({ example: 'Stoneware, 350 ml', maxLength: MAX_DESCRIPTION_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  description?: string;

  @ApiProperty({ type: PriceDto })
  @ValidateNested()
  @Type(() => PriceDto)
  price!: PriceDto;

  @ApiProperty({ type: 'integer', example: 25, minimum: 0, maximum: MAX_STOCK })
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock!: number;
}
