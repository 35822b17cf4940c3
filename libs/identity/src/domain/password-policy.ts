import type { PasswordViolation } from './password-violation.js';
import { WeakPasswordError } from './user.errors.js';

export type { PasswordViolation } from './password-violation.js';

export const PASSWORD_MIN_LENGTH = 12;
/** Bounds the work of hashing a hostile input, and is far beyond what a passphrase needs. */
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_CHARACTER_CLASSES = 2;
/** Shorter local parts (`jo@...`) occur by chance in good passwords; longer ones are a real hint. */
const MIN_LOCAL_PART_TO_MATCH = 4;

const CHARACTER_CLASSES: readonly RegExp[] = [
  /\p{Ll}/u,
  /\p{Lu}/u,
  /\p{Nd}/u,
  /[^\p{Ll}\p{Lu}\p{Nd}]/u,
];

/**
 * Length first (NIST SP 800-63B), plus two cheap rules against the most guessed shapes: a password
 * of one character class only (`aaaaaaaaaaaa`, `123456789012`) and one built from the account's email.
 * Length counts Unicode code points, so a passphrase in any script is measured fairly.
 */
export function passwordViolations(password: string, email?: string): PasswordViolation[] {
  const violations: PasswordViolation[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) violations.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) violations.push('too_long');
  const classes = CHARACTER_CLASSES.filter((characterClass) => characterClass.test(password));
  if (classes.length < PASSWORD_MIN_CHARACTER_CLASSES) violations.push('too_few_character_classes');
  const localPart = email?.slice(0, email.lastIndexOf('@')).toLowerCase();
  if (
    localPart !== undefined &&
    localPart.length >= MIN_LOCAL_PART_TO_MATCH &&
    password.toLowerCase().includes(localPart)
  ) {
    violations.push('contains_email');
  }
  return violations;
}

export function assertPasswordAcceptable(password: string, email?: string): void {
  const violations = passwordViolations(password, email);
  if (violations.length > 0) throw new WeakPasswordError(violations);
}
