import type { ArgumentMetadata } from '@nestjs/common';
import { IsString } from 'class-validator';
import { RequestValidationException } from './request-validation.exception.js';
import { RequestValidationPipe } from './request-validation.pipe.js';

class SearchQuery {
  @IsString() q!: string;
}

const pipe = new RequestValidationPipe();
const as = (type: ArgumentMetadata['type'], data?: string): ArgumentMetadata => ({
  type,
  metatype: type === 'query' && data === undefined ? SearchQuery : String,
  data,
});

async function violationsOf(value: unknown, metadata: ArgumentMetadata) {
  const failure: unknown = await pipe.transform(value, metadata).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(RequestValidationException);
  return (failure as RequestValidationException).violations;
}

describe('RequestValidationPipe', () => {
  it('refuses a NUL byte in a query DTO before class-validator sees it, naming the field', async () => {
    expect(await violationsOf({ q: 'mug\u0000' }, as('query'))).toEqual([
      { field: 'q', messages: ['q must not contain NUL characters'] },
    ]);
  });

  it('refuses an unpaired surrogate in a single path parameter, by its name', async () => {
    const [violation] = await violationsOf('\ud800', as('param', 'id'));
    expect(violation.field).toBe('id');
  });

  it('refuses a body nested deeper than class-transformer should recurse', async () => {
    let body: unknown = 'leaf';
    for (let level = 0; level < 10_000; level++) body = [body];
    const [violation] = await violationsOf(body, as('body'));
    expect(violation.messages.join()).toContain('nested');
  });

  it('leaves values the server supplies (custom parameters) alone', async () => {
    await expect(pipe.transform('\u0000', as('custom'))).resolves.toBe('\u0000');
  });

  it('passes clean input on to the usual validation', async () => {
    await expect(pipe.transform({ q: 'mug' }, as('query'))).resolves.toBeInstanceOf(SearchQuery);
  });
});
