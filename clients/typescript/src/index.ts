export type { components, operations, paths } from './commerce-api.generated.js';
export {
  type CommerceClient,
  type CommerceClientOptions,
  type CommerceSchemas,
  createCommerceClient,
  formEncoded,
} from './commerce-client.js';
