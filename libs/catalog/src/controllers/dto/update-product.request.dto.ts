import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_STOCK } from '../../domain/product.js';
import { PriceDto } from './price.dto.js';

/** Only the fields sent change. The edit must name the version it is based on. */
export class UpdateProductRequestDto {
  @ApiPropertyOptional({
    type: 'integer',
    example: 3,
    description:
      'The version this edit is based on; required unless the If-Match header carries the ETag',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  name?: string;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  description?: string;

  @ApiPropertyOptional({ type: PriceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PriceDto)
  price?: PriceDto;

  @ApiPropertyOptional({
    example: 40,
    type: 'integer',
    minimum: 0,
    maximum: MAX_STOCK,
    description: 'The new number of units on hand (a stock count, not a delta)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock?: number;

  @ApiPropertyOptional({ description: 'false takes the product off sale, true puts it back' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
