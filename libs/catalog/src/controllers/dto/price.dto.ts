import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import type { Money } from '../../domain/money.js';

/** A price in minor units, so no client ever parses a decimal: 1999 EUR is 19.99 €. */
export class PriceDto {
  @ApiProperty({
    type: 'integer',
    example: 1999,
    minimum: 0,
    description: 'Amount in minor units of the currency (cents for EUR, yen for JPY)',
  })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor!: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;

  static from(money: Money): PriceDto {
    return { amountMinor: money.amount, currency: money.currency };
  }
}
