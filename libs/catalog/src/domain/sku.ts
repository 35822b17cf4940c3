import { InvalidSkuError } from './product.errors.js';

const SKU = /^[A-Z0-9][A-Z0-9._-]{0,63}$/;

/** Stock keeping unit: the merchant's own product code, unique, kept in upper case. */
export const Sku = {
  /** Trims and upper-cases, so `ab-1` and ` AB-1` are one SKU. */
  parse(input: string): string {
    const sku = input.trim().toUpperCase();
    if (!SKU.test(sku)) throw new InvalidSkuError(input);
    return sku;
  },
};
