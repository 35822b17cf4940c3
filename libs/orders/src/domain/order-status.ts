export const ORDER_STATUSES = ['pending_payment', 'paid', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What can happen to an order; each action is one arrow (or two) of the state machine. */
export const ORDER_ACTIONS = ['pay', 'ship', 'cancel'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/**
 * The whole state machine in one table: for each action, the states it may start from and the
 * state it leads to. `shipped` and `cancelled` are final.
 *
 *   pending_payment ──pay──▶ paid ──ship──▶ shipped
 *          │                  │
 *          └─────cancel───────┴──cancel──▶ cancelled   (a paid order is refunded)
 */
export const ORDER_TRANSITIONS: Readonly<
  Record<OrderAction, { readonly from: readonly OrderStatus[]; readonly to: OrderStatus }>
> = {
  pay: { from: ['pending_payment'], to: 'paid' },
  ship: { from: ['paid'], to: 'shipped' },
  cancel: { from: ['pending_payment', 'paid'], to: 'cancelled' },
};

export function canTransition(status: OrderStatus, action: OrderAction): boolean {
  return ORDER_TRANSITIONS[action].from.includes(status);
}
