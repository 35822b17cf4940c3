/** A rule of the password policy that a password breaks; stable, shown to clients. */
export type PasswordViolation =
  'too_short' | 'too_long' | 'too_few_character_classes' | 'contains_email';
