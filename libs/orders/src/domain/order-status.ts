export const ORDER_STATUSES = [
  'awaiting_stock',
  'pending_payment',
  'paid',
  'shipped',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What can happen to an order; each action is one arrow (or several) of the state machine. */
export const ORDER_ACTIONS = ['confirm', 'pay', 'ship', 'cancel'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/**
 * The whole state machine in one table: for each action, the states it may start from and the
 * state it leads to. `shipped` and `cancelled` are final. An order starts `pending_payment` when
 * the catalog priced and reserved it at once, or `awaiting_stock` when the catalog could not be
 * reached; the stock confirmer then confirms it (priced, reserved) or it is cancelled.
 *
 *   awaiting_stock ──confirm──▶ pending_payment ──pay──▶ paid ──ship──▶ shipped
 *          │                          │                  │
 *          └──────────cancel──────────┴──────cancel──────┴──cancel──▶ cancelled   (a paid order is refunded)
 */
export const ORDER_TRANSITIONS: Readonly<
  Record<OrderAction, { readonly from: readonly OrderStatus[]; readonly to: OrderStatus }>
> = {
  confirm: { from: ['awaiting_stock'], to: 'pending_payment' },
  pay: { from: ['pending_payment'], to: 'paid' },
  ship: { from: ['paid'], to: 'shipped' },
  cancel: { from: ['awaiting_stock', 'pending_payment', 'paid'], to: 'cancelled' },
};

export function canTransition(status: OrderStatus, action: OrderAction): boolean {
  return ORDER_TRANSITIONS[action].from.includes(status);
}
