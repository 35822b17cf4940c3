import { Money } from './money.js';
import { Product } from './product.js';
import { InvalidProductError, InvalidSkuError, VersionConflictError } from './product.errors.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const T1 = new Date('2026-03-01T11:00:00.000Z');

const newProduct = (stock = 5): Product =>
  Product.create({
    sku: ' mug-01 ',
    name: '  Blue mug ',
    description: 'Holds tea',
    price: Money.of(1299, 'EUR'),
    stock,
    now: T0,
  });

describe('Product', () => {
  it('starts on sale at version 1 with a normalised SKU and trimmed name', () => {
    const product = newProduct();
    expect(product.toSnapshot()).toMatchObject({
      sku: 'MUG-01',
      name: 'Blue mug',
      active: true,
      version: 1,
      stock: 5,
      createdAt: T0,
      updatedAt: T0,
    });
  });

  it.each([
    ['an empty SKU', { sku: '  ' }, InvalidSkuError],
    ['a SKU with spaces', { sku: 'A B' }, InvalidSkuError],
    ['an empty name', { name: ' ' }, InvalidProductError],
    ['negative stock', { stock: -1 }, InvalidProductError],
    ['fractional stock', { stock: 1.5 }, InvalidProductError],
    ['a negative price', { price: Money.of(-1, 'EUR') }, InvalidProductError],
  ])('refuses to be created with %s', (_case, override, error) => {
    expect(() =>
      Product.create({
        sku: 'SKU-1',
        name: 'Name',
        price: Money.of(100, 'EUR'),
        stock: 1,
        now: T0,
        ...override,
      }),
    ).toThrow(error);
  });

  it('raises its version on every change and records when it happened', () => {
    const product = newProduct();
    expect(product.revise({ name: 'Red mug', price: Money.of(1499, 'EUR') }, T1)).toBe(true);
    expect(product.toSnapshot()).toMatchObject({
      name: 'Red mug',
      version: 2,
      updatedAt: T1,
      createdAt: T0,
    });
    expect(product.price.equals(Money.of(1499, 'EUR'))).toBe(true);
  });

  it('stays at its version when an edit changes nothing', () => {
    const product = newProduct();
    expect(product.revise({ name: 'Blue mug', price: Money.of(1299, 'EUR'), stock: 5 }, T1)).toBe(
      false,
    );
    expect(product.version).toBe(1);
    expect(product.updatedAt).toBe(T0);
  });

  it('rejects an edit made against another version with the current version', () => {
    const product = newProduct();
    product.revise({ stock: 9 }, T1);
    expect(() => product.assertVersion(1)).toThrow(VersionConflictError);
    try {
      product.assertVersion(1);
    } catch (error) {
      expect((error as VersionConflictError).details).toMatchObject({
        expectedVersion: 1,
        currentVersion: 2,
      });
    }
    expect(() => product.assertVersion(2)).not.toThrow();
  });

  it('deactivates once; deactivating again changes nothing', () => {
    const product = newProduct();
    expect(product.deactivate(T1)).toBe(true);
    expect(product.deactivate(T1)).toBe(false);
    expect(product.active).toBe(false);
    expect(product.version).toBe(2);
  });

  it.each([
    ['all of its stock', 5, 5, true],
    ['part of its stock', 5, 2, true],
    ['more than its stock', 5, 6, false],
    ['anything when out of stock', 0, 1, false],
  ])('decides whether it can supply %s', (_case, stock, quantity, expected) => {
    expect(newProduct(stock).canSupply(quantity)).toBe(expected);
  });

  it('cannot supply anything once off sale, whatever its stock', () => {
    const product = newProduct(10);
    product.deactivate(T1);
    expect(product.canSupply(1)).toBe(false);
  });

  it('withdraws and puts back stock without ever going below zero', () => {
    const product = newProduct(2);
    product.withdraw(2, T1);
    expect(product.stock).toBe(0);
    expect(() => product.withdraw(1, T1)).toThrow(InvalidProductError);
    product.putBack(2, T1);
    expect(product.stock).toBe(2);
    expect(product.version).toBe(3);
  });
});
