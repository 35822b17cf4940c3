import { isIP } from 'node:net';

/**
 * Which proxies' `X-Forwarded-*` headers the app believes: none, the nearest N hops, or the
 * listed addresses/CIDR ranges. Never "all": that lets any client forge its own address.
 */
export type TrustProxy = false | number | readonly string[];

const isAddressOrRange = (item: string): boolean => {
  const [address, prefix, ...rest] = item.split('/');
  if (rest.length > 0 || isIP(address) === 0) return false;
  if (prefix === undefined) return true;
  const bits = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= bits;
};

/**
 * HTTP_TRUST_PROXY: `false` (or `0`), a hop count, or a comma-separated list of addresses and
 * CIDR ranges. `true` means one hop (the gateway in front), kept for older configurations.
 * Returns undefined for anything else, so the caller reports the variable.
 */
export function parseTrustProxy(value: string): TrustProxy | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'false' || text === '0' || text === '') return false;
  if (text === 'true') return 1;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const items = text.split(',').map((item) => item.trim());
  return items.every(isAddressOrRange) ? items : undefined;
}
