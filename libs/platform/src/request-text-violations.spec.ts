import { MAX_INPUT_DEPTH, requestTextViolations } from './request-text-violations.js';

/** `{ a: { a: ... { a: 1 } } }`, `levels` objects deep, built without recursion. */
function nestedObjects(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
}

describe('requestTextViolations', () => {
  it('accepts ordinary text, emoji (surrogate pairs) included', () => {
    expect(
      requestTextViolations({ name: 'Tasse à thé 🍵', tags: ['mug', 'cup'], price: { amount: 1 } }),
    ).toEqual([]);
  });

  it.each([
    ['a NUL byte', { email: 'a\u0000@example.test' }, 'email', 'NUL'],
    ['an unpaired high surrogate', { name: 'mug \ud800' }, 'name', 'unpaired'],
    ['an unpaired low surrogate', { name: '\udc00mug' }, 'name', 'unpaired'],
    ['a reversed surrogate pair', { name: '\udc00\ud800' }, 'name', 'unpaired'],
    [
      'a NUL byte deep in an array',
      { lines: [{ sku: 'ok' }, { sku: 'x\u0000' }] },
      'lines.1.sku',
      'NUL',
    ],
  ])('names the field holding %s', (_label, value, field, problem) => {
    const [violation, ...others] = requestTextViolations(value);
    expect(others).toEqual([]);
    expect(violation.field).toBe(field);
    expect(violation.messages.join()).toContain(problem);
  });

  it('refuses a field name with a NUL byte', () => {
    expect(requestTextViolations({ 'a\u0000': 1 })[0].messages.join()).toContain('field name');
  });

  it('prefixes fields with the parameter name of a single query or path parameter', () => {
    expect(requestTextViolations('a\u0000', 'q')).toEqual([
      { field: 'q', messages: ['q must not contain NUL characters'] },
    ]);
  });

  it(`accepts ${MAX_INPUT_DEPTH} levels of nesting and refuses more`, () => {
    expect(requestTextViolations(nestedObjects(MAX_INPUT_DEPTH))).toEqual([]);
    const [violation] = requestTextViolations(nestedObjects(MAX_INPUT_DEPTH + 1));
    expect(violation.messages.join()).toContain('nested');
  });

  it('walks a value nested 100,000 levels deep without overflowing the stack', () => {
    expect(requestTextViolations(nestedObjects(100_000))).toHaveLength(1);
  });

  it('reports at most 20 violations, however many there are', () => {
    expect(requestTextViolations(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });
});
