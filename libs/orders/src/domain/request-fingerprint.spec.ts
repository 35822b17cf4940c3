import { canonicalJson, requestFingerprint } from './request-fingerprint.js';

describe('request fingerprints', () => {
  it('are equal for bodies that differ only in key order', () => {
    const a = { items: [{ productId: 'p-1', quantity: 2 }], note: { b: 1, a: 2 } };
    const b = { note: { a: 2, b: 1 }, items: [{ quantity: 2, productId: 'p-1' }] };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestFingerprint(a)).toBe(requestFingerprint(b));
  });

  it('differ when a value differs', () => {
    expect(requestFingerprint({ items: [{ productId: 'p-1', quantity: 2 }] })).not.toBe(
      requestFingerprint({ items: [{ productId: 'p-1', quantity: 3 }] }),
    );
  });

  it('differ when the order of array items differs (array order is meaningful)', () => {
    const first = { productId: 'p-1', quantity: 1 };
    const second = { productId: 'p-2', quantity: 1 };
    expect(requestFingerprint({ items: [first, second] })).not.toBe(
      requestFingerprint({ items: [second, first] }),
    );
  });

  it('are a SHA-256 in hex', () => {
    expect(requestFingerprint({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
