import { MESSAGING_ERROR_CODES } from '#lib/contracts';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { RpcError } from '../errors/rpc-error.js';
import { MessagePayloadPipe } from './message-payload.pipe.js';

class BasketLine {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class PriceBasketRequest {
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @Type(() => BasketLine)
  lines!: BasketLine[];
}

const pipe = new MessagePayloadPipe(PriceBasketRequest);

describe('MessagePayloadPipe', () => {
  it('returns the request as an instance of its class, nested lines included', async () => {
    const request = await pipe.transform({ lines: [{ sku: 'A-1', quantity: 2 }] });

    expect(request).toBeInstanceOf(PriceBasketRequest);
    expect(request.lines[0]).toBeInstanceOf(BasketLine);
  });

  it.each([
    ['an unknown field, like the HTTP edge', { lines: [{ sku: 'A', quantity: 1 }], x: 1 }, ['x']],
    [
      'a nested invalid field with its path',
      { lines: [{ sku: 'A', quantity: 0 }] },
      ['lines.0.quantity'],
    ],
    [
      'a number sent as a string (no implicit conversion)',
      { lines: [{ sku: 'A', quantity: '2' }] },
      ['lines.0.quantity'],
    ],
    ['an empty basket', { lines: [] }, ['lines']],
  ])('rejects %s with MESSAGING.VALIDATION_FAILED', async (_case, value, fields) => {
    const error = await pipe.transform(value).then(
      () => undefined,
      (failure: unknown) => failure as RpcError,
    );

    expect(error?.code).toBe(MESSAGING_ERROR_CODES.VALIDATION_FAILED);
    const violations = error?.details?.violations as { field: string }[];
    expect(violations.map((violation) => violation.field)).toEqual(fields);
  });
});
