import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** pg returns bigint as text; amounts are checked safe integers in the domain, so numbers are exact. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * Row of catalog.products: a persistence shape only; the domain object is `Product`. The
 * generated `search_vector` column is left out on purpose: Postgres computes it.
 */
@Entity({ schema: 'catalog', name: 'products' })
export class ProductRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 64 })
  sku!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('text')
  description!: string;

  @Column('bigint', { transformer: bigintAsNumber })
  priceAmount!: number;

  @Column('char', { length: 3 })
  priceCurrency!: string;

  @Column('integer')
  stock!: number;

  @Column('boolean')
  active!: boolean;

  @Column('integer')
  version!: number;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;
}
