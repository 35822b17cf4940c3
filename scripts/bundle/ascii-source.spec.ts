import { runInNewContext } from 'node:vm';
import { asciiSource } from './ascii-source.js';

/** Evaluates the expression as V8 reads it from the bundle. */
const evaluate = (source: string): unknown => runInNewContext(source) as unknown;

describe('asciiSource', () => {
  const samples = [
    ['a string', `"Ärger, naïve, 😀"`],
    ['a template literal', '`Größe ${1 + 1} 😀`'],
    ['a character class', '/^[A-ZÄÖÜß]+$/i.test("STRAßE")'],
    ['a range', '/^[А-Я]+$/i.test("Привет")'],
    ['a range that rejects', '/^[А-Я]+$/i.test("Hello")'],
    ['an astral character under the u flag', '/^[😀-😂]$/u.test("😁")'],
    ['an astral character without it', '/^😀$/.test("😀")'],
    ['an identifier', '(() => { const größe = 2; return größe * 3; })()'],
  ] as const;

  it.each(samples)('keeps what %s means', (_name, source) => {
    const escaped = asciiSource(source);
    expect(escaped).toMatch(/^[\0-\x7f]*$/);
    expect(evaluate(escaped)).toEqual(evaluate(source));
  });

  it('leaves ASCII untouched', () => {
    const source = 'const answer = { value: "plain", pattern: /[a-z]+/g };';
    expect(asciiSource(source)).toBe(source);
  });
});
