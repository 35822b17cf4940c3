import type { DataSource } from 'typeorm';

/** What the test did to one order, from the customer's side. */
export interface PlacedOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
}

interface OrderRow {
  id: string;
  status: string;
  payment_id: string | null;
}

const countBy = (values: readonly string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

/**
 * Every way the saga's end state can be inconsistent, as readable sentences (empty when it is
 * consistent). Read straight from each context's tables, as an operator auditing it would:
 *
 * - each order is `paid` or `cancelled`;
 * - its stock reservation is released exactly when it is cancelled, and each product's stock is
 *   its initial stock minus what paid orders hold;
 * - a paid order has exactly one succeeded, unrefunded charge, which its payment names; a
 *   cancelled one has no charge left standing (declined, never made, or refunded);
 * - its customer got one notification per kind: placed; then paid or cancelled; a refund when a
 *   charge was refunded (and then possibly paid as well, if the order was paid before).
 */
export async function sagaInconsistencies(
  dataSource: DataSource,
  placed: readonly PlacedOrder[],
  initialStock: ReadonlyMap<string, number>,
): Promise<string[]> {
  const problems: string[] = [];
  const orderIds = placed.map((order) => order.orderId);
  const orders = new Map(
    (
      await dataSource.query<OrderRow[]>(
        'SELECT id, status, payment_id FROM orders.orders WHERE id = ANY($1)',
        [orderIds],
      )
    ).map((row) => [row.id, row]),
  );
  const reservations = new Map(
    (
      await dataSource.query<{ order_id: string; released: boolean }[]>(
        `SELECT order_id, released_at IS NOT NULL AS released
           FROM catalog.reservations WHERE order_id = ANY($1)`,
        [orderIds],
      )
    ).map((row) => [row.order_id, row.released]),
  );
  const payments = new Map(
    (
      await dataSource.query<{ order_id: string; id: string; status: string }[]>(
        'SELECT order_id, id, status FROM payments.payments WHERE order_id = ANY($1)',
        [orderIds],
      )
    ).map((row) => [row.order_id, row]),
  );
  const charges = await dataSource.query<{ reference: string; refunded: boolean }[]>(
    `SELECT reference, refund_id IS NOT NULL AS refunded
       FROM payments.simulated_provider_charges
      WHERE reference = ANY($1) AND outcome = 'succeeded'`,
    [orderIds],
  );
  const notifications = await dataSource.query<{ customer_id: string; template: string }[]>(
    'SELECT customer_id, template FROM notifications.notifications WHERE customer_id = ANY($1)',
    [placed.map((order) => order.customerId)],
  );

  const soldByProduct = new Map<string, number>();
  for (const { orderId, customerId, lines } of placed) {
    const order = orders.get(orderId);
    const status = order?.status ?? 'missing';
    const paid = status === 'paid';
    if (!paid && status !== 'cancelled') {
      problems.push(`order ${orderId} is ${status}`);
      continue;
    }
    if (paid) {
      for (const line of lines) {
        soldByProduct.set(line.productId, (soldByProduct.get(line.productId) ?? 0) + line.quantity);
      }
    }

    const released = reservations.get(orderId);
    if (released !== !paid) {
      problems.push(`order ${orderId} is ${status} and its reservation released=${released}`);
    }

    const orderCharges = charges.filter((charge) => charge.reference === orderId);
    const standing = orderCharges.filter((charge) => !charge.refunded).length;
    const refunded = orderCharges.length - standing;
    const payment = payments.get(orderId);
    if (paid && (standing !== 1 || orderCharges.length !== 1)) {
      problems.push(
        `paid order ${orderId} has ${orderCharges.length} charges, ${refunded} refunded`,
      );
    }
    if (paid && (payment?.status !== 'succeeded' || payment.id !== order?.payment_id)) {
      problems.push(`paid order ${orderId} has payment ${JSON.stringify(payment)}`);
    }
    if (!paid && (standing !== 0 || refunded > 1)) {
      problems.push(`cancelled order ${orderId} has ${standing} charges left standing`);
    }

    const sent = countBy(
      notifications.filter((row) => row.customer_id === customerId).map((row) => row.template),
    );
    const expected = new Map([['order-placed', 1]]);
    if (paid) expected.set('order-paid', 1);
    else expected.set('order-cancelled', 1);
    // A refund is told once. The order was paid before it was cancelled (then 'order-paid' was
    // told too), or the charge landed after the cancellation and the order never became paid.
    if (refunded === 1) expected.set('payment-refunded', 1);
    const maybeTold = refunded === 1 ? 'order-paid' : undefined;
    for (const template of new Set([...expected.keys(), ...sent.keys()])) {
      const got = sent.get(template) ?? 0;
      const want = expected.get(template) ?? 0;
      const tolerated = template === maybeTold && got === 1;
      if (got !== want && !tolerated) {
        problems.push(
          `${status} order ${orderId}: ${got} "${template}" notifications, want ${want}`,
        );
      }
    }
  }

  const stock = await dataSource.query<{ id: string; stock: number }[]>(
    'SELECT id, stock FROM catalog.products WHERE id = ANY($1)',
    [[...initialStock.keys()]],
  );
  for (const { id, stock: left } of stock) {
    const want = (initialStock.get(id) ?? 0) - (soldByProduct.get(id) ?? 0);
    if (left !== want) problems.push(`product ${id} has ${left} in stock, want ${want}`);
  }
  return problems;
}
