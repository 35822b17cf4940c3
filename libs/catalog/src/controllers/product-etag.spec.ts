import {
  InvalidPreconditionError,
  PreconditionRequiredError,
  ProductETag,
} from './product-etag.js';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const OTHER = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5c';
const TAG = ProductETag.of({ id: ID, version: 3 });

describe('ProductETag', () => {
  it('names the product and its version as a strong tag', () => {
    expect(TAG).toBe(`"${ID}.3"`);
  });

  it.each([
    ['no header', undefined, false],
    ['the same tag', TAG, true],
    ['the tag marked weak', `W/${TAG}`, true],
    ['a list holding the tag', `"x", ${TAG}`, true],
    ['a wildcard', '*', true],
    ['an older version', `"${ID}.2"`, false],
  ])('treats If-None-Match with %s as matching: %s', (_case, header, expected) => {
    expect(ProductETag.matchesNoneMatch(header, TAG)).toBe(expected);
  });

  it.each([
    ['If-Match alone', TAG, undefined, 3],
    ['a body version alone', undefined, 5, 5],
    ['both, agreeing', TAG, 3, 3],
  ])('takes the expected version from %s', (_case, ifMatch, version, expected) => {
    expect(ProductETag.expectedVersion(ID, ifMatch, version)).toBe(expected);
  });

  it.each([
    ['neither If-Match nor a version', undefined, undefined, PreconditionRequiredError],
    ['a wildcard If-Match', '*', undefined, InvalidPreconditionError],
    ['a weak If-Match', `W/${TAG}`, undefined, InvalidPreconditionError],
    ['a list of tags', `${TAG}, ${TAG}`, undefined, InvalidPreconditionError],
    ["another product's tag", `"${OTHER}.3"`, undefined, InvalidPreconditionError],
    ['If-Match and a body version that disagree', TAG, 2, InvalidPreconditionError],
  ])('refuses %s', (_case, ifMatch, version, error) => {
    expect(() => ProductETag.expectedVersion(ID, ifMatch, version)).toThrow(error);
  });

  it('asks for no precondition on a deactivation, but checks one that is given', () => {
    expect(ProductETag.optionalVersion(ID, undefined)).toBeUndefined();
    expect(ProductETag.optionalVersion(ID, TAG)).toBe(3);
  });
});
