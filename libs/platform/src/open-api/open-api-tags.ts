/**
 * The tags operations are grouped by, with what a reader of the document learns from each. An
 * operation tagged with a name missing here stops the document from being built.
 */
export const OPEN_API_TAGS: Readonly<Record<string, string>> = {
  auth: 'OAuth 2.0 tokens (password and refresh-token grants), their revocation, and the keys that verify them',
  users: 'Customer accounts and, for admins, every account and its roles',
  products: 'The catalog: products on sale, their prices in minor units and their stock',
  orders: 'Placing, reading, cancelling and shipping orders; payment follows asynchronously',
  payments: "An order's payments",
  notifications: 'What the shop told a customer, and dead delivery jobs for admins',
  health: 'Liveness, readiness and messaging backlog probes',
};
