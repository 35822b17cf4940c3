import {
  assertPasswordAcceptable,
  type PasswordViolation,
  passwordViolations,
} from './password-policy.js';
import { WeakPasswordError } from './user.errors.js';

describe('password policy', () => {
  it.each<[string, string, string | undefined, PasswordViolation[]]>([
    ['a long passphrase of words and spaces', 'correct horse battery', undefined, []],
    ['exactly 12 characters of two classes', 'abcdefghij12', undefined, []],
    ['128 characters', `${'a'.repeat(127)}1`, undefined, []],
    ['non-Latin letters with a digit, counted by code point', 'пароль-пароль1', undefined, []],
    ['11 characters', 'abcdefghi12', undefined, ['too_short']],
    [
      '11 emoji, though 22 UTF-16 units',
      '😀'.repeat(11),
      undefined,
      ['too_short', 'too_few_character_classes'],
    ],
    ['129 characters', `${'a'.repeat(128)}1`, undefined, ['too_long']],
    ['lower-case letters only', 'abcdefghijklmnop', undefined, ['too_few_character_classes']],
    ['digits only', '123456789012', undefined, ['too_few_character_classes']],
    ['upper-case letters only', 'ABCDEFGHIJKLMN', undefined, ['too_few_character_classes']],
    ['one character repeated', 'aaaaaaaaaaaaaaaa', undefined, ['too_few_character_classes']],
    ['spaces only', ' '.repeat(16), undefined, ['too_few_character_classes']],
    ['short and one class', 'abc', undefined, ['too_short', 'too_few_character_classes']],
    ['the email local part inside', 'my-annalee-2026', 'annalee@shop.example', ['contains_email']],
    [
      'the email local part in other case',
      'ANNALEE-2026!',
      'annalee@shop.example',
      ['contains_email'],
    ],
    ['a short local part inside, which is chance', 'jo-is-here-2026', 'jo@shop.example', []],
    ['no relation to the email', 'tangerine-bicycle-42', 'annalee@shop.example', []],
  ])('%s: %j -> %j', (_case, password, email, expected) => {
    expect(passwordViolations(password, email)).toEqual(expected);
  });

  it('throws WeakPasswordError listing every violation', () => {
    let thrown: unknown;
    try {
      assertPasswordAcceptable('short');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WeakPasswordError);
    expect(thrown).toMatchObject({
      code: 'IDENTITY.WEAK_PASSWORD',
      kind: 'validation',
      details: { violations: ['too_short', 'too_few_character_classes'] },
    });
  });

  it('accepts a good password without throwing', () => {
    expect(() =>
      assertPasswordAcceptable('tangerine-bicycle-42', 'ann@shop.example'),
    ).not.toThrow();
  });
});
