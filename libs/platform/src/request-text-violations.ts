import type { FieldViolation } from '#lib/http-problems';

/** Deeper than any of our DTOs nests; class-transformer recurses once per level. */
export const MAX_INPUT_DEPTH = 32;
/** Enough to show the client what to fix without echoing a hostile body back in full. */
const MAX_VIOLATIONS = 20;

const NUL = '\u0000';
// With the `u` flag a surrogate pair is one code point, so this matches unpaired surrogates only.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const NUL_MESSAGE = 'must not contain NUL characters';
const SURROGATE_MESSAGE =
  'must be well-formed Unicode text (an unpaired UTF-16 surrogate was found)';
const DEPTH_MESSAGE = `must not be nested more than ${MAX_INPUT_DEPTH} levels deep`;

function textProblem(text: string): string | undefined {
  if (text.includes(NUL)) return NUL_MESSAGE;
  return LONE_SURROGATE.test(text) ? SURROGATE_MESSAGE : undefined;
}

const join = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

/**
 * Strings Postgres cannot store (NUL) or that JSON can carry but UTF-8 cannot (unpaired
 * surrogates, silently turned into U+FFFD on the way to the database), and nesting deep enough
 * to overflow the stack of the recursive transformer and validator. Walked with an explicit stack,
 * so a hostile value cannot overflow this check either.
 */
export function requestTextViolations(value: unknown, root = ''): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  while (pending.length > 0 && violations.length < MAX_VIOLATIONS) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) violations.push({ field: path, messages: [`${path || 'value'} ${problem}`] });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      violations.push({ field: path, messages: [`${path || 'body'} ${DEPTH_MESSAGE}`] });
      continue;
    }
    for (const [key, child] of Object.entries(current)) {
      const keyProblem = textProblem(key);
      if (keyProblem) {
        const field = join(path, JSON.stringify(key));
        violations.push({ field, messages: [`the field name ${field} ${keyProblem}`] });
        continue;
      }
      pending.push({ value: child, path: join(path, key), depth: depth + 1 });
    }
  }
  return violations;
}
