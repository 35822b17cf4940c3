import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './commerce-api.generated.js';

/** The API's schemas by name, e.g. `CommerceSchemas['OrderResponseDto']`. */
export type CommerceSchemas = components['schemas'];
export type CommerceClient = Client<paths>;

export interface CommerceClientOptions {
  /** Where the API answers, e.g. `http://localhost:3000`. */
  readonly baseUrl: string;
  /** Read before each request: the access token to send as a bearer token, if any. */
  readonly accessToken?: () => string | undefined;
}

/**
 * A client whose every path, parameter, body and answer is typed by docs/contracts/openapi.json:
 * `client.GET('/v1/orders/{id}', { params: { path: { id } } })` answers `{ data }` or `{ error }`
 * (a problem document), never throws for an HTTP error.
 */
export function createCommerceClient({
  baseUrl,
  accessToken,
}: CommerceClientOptions): CommerceClient {
  const client = createClient<paths>({ baseUrl });
  if (accessToken) {
    client.use({
      onRequest({ request }) {
        const token = accessToken();
        if (token !== undefined) request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
}

/**
 * The OAuth endpoints take form-encoded bodies (RFC 6749); pass this as the call's
 * `bodySerializer`, with the content type, for `/v1/auth/token` and `/v1/auth/revoke`.
 */
export const formEncoded = {
  bodySerializer: (body: object): URLSearchParams =>
    new URLSearchParams(
      Object.entries(body).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
} as const;
