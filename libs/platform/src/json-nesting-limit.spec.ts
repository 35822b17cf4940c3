import { exceedsJsonDepth } from './json-nesting-limit.js';

describe('exceedsJsonDepth', () => {
  it.each([
    ['a flat object', '{"a":1,"b":"x"}', 1, false],
    ['two levels under a limit of two', '{"a":[1,2]}', 2, false],
    ['three levels under a limit of two', '{"a":[{"b":1}]}', 2, true],
    ['brackets inside strings', '{"a":"[[[[{{{{"}', 1, false],
    ['an escaped quote inside a string', '{"a":"\\"[[[["}', 1, false],
    ['an escaped backslash before the closing quote', '{"a":"\\\\","b":[[1]]}', 2, true],
    ['siblings that never nest deeply', '[[1],[2],[3],[4]]', 2, false],
  ])('%s', (_label, text, maxDepth, expected) => {
    expect(exceedsJsonDepth(text, maxDepth)).toBe(expected);
  });

  it('measures 100,000 levels without recursion', () => {
    expect(exceedsJsonDepth('['.repeat(100_000) + ']'.repeat(100_000), 32)).toBe(true);
  });
});
