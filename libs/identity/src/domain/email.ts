import { InvalidEmailError } from './user.errors.js';

const MAX_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
// Deliberately loose: deliverability is proven by sending mail, not by a regular expression.
const SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * An email address in its normal form (trimmed, lower-cased), so `Ann@Shop.com ` and
 * `ann@shop.com` are one account. Lower-casing the local part is stricter than RFC 5321, and
 * what users expect.
 */
export class Email {
  private constructor(readonly value: string) {}

  /** The normal form of any input, valid or not: what logins look accounts up by. */
  static normalise(raw: string): string {
    return raw.trim().toLowerCase();
  }

  static parse(raw: string): Email {
    const value = Email.normalise(raw);
    const localPart = value.slice(0, value.lastIndexOf('@'));
    if (
      value.length > MAX_LENGTH ||
      localPart.length > MAX_LOCAL_PART_LENGTH ||
      !SHAPE.test(value)
    ) {
      throw new InvalidEmailError();
    }
    return new Email(value);
  }

  get localPart(): string {
    return this.value.slice(0, this.value.lastIndexOf('@'));
  }

  toString(): string {
    return this.value;
  }
}
