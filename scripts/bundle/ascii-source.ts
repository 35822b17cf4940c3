/**
 * The source with every character outside ASCII written as a `\uXXXX` escape. V8 keeps a script
 * with one non-ASCII character as a two-byte string: twice the memory of the same script in
 * one-byte form, for as long as the process runs (a bundle is one 8-9 MiB script). esbuild
 * already escapes non-ASCII in strings, but not inside regular expression literals (validator's
 * per-locale alphabets), so the bundle kept the two-byte form for a few lines.
 *
 * Each UTF-16 code unit becomes one escape, which reads the same wherever such a character can
 * stand in a module: string and template literals (cooked), regular expressions (a surrogate
 * pair written as two escapes is one code point under the `u` flag, two code units without it,
 * as it was), identifiers and comments. Only `String.raw` of a template would see the escape.
 */
export function asciiSource(source: string): string {
  return source.replace(
    /[^\0-\x7f]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
