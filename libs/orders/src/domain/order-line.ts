/** A line as it was priced when the order was placed: later catalog changes do not touch it. */
export interface OrderLine {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  /** Minor units of the order's currency. */
  readonly unitPrice: number;
  readonly quantity: number;
}

export const lineTotal = (line: OrderLine): number => line.unitPrice * line.quantity;
