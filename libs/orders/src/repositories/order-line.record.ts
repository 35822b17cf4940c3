import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './bigint-as-number.js';

/** Row of orders.order_lines: one product of an order, as priced when the order was placed. */
@Entity({ schema: 'orders', name: 'order_lines' })
export class OrderLineRecord {
  @PrimaryColumn('uuid')
  orderId!: string;

  /** 0-based place of the line in the order, so lines read back in the order they were placed. */
  @PrimaryColumn('integer')
  position!: number;

  @Column('uuid')
  productId!: string;

  @Column('varchar', { length: 64 })
  sku!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('bigint', { transformer: bigintAsNumber })
  unitPrice!: number;

  @Column('integer')
  quantity!: number;
}
