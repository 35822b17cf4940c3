import type { ValueTransformer } from 'typeorm';

/** pg returns bigint as text; amounts are checked safe integers in the domain, so numbers are exact. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
