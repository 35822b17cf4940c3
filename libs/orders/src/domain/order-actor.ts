/** Who acts on an order: its customer, or an admin (who may act on every order). */
export interface OrderActor {
  readonly id: string;
  readonly isAdmin: boolean;
}
