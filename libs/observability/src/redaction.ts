/** What a secret is replaced with in logs (pino's own censor text, so both mechanisms agree). */
export const REDACTED = '[Redacted]';

// Keys are compared lower-cased without separators, so `refresh_token`, `refreshToken` and
// `Refresh-Token` are one key.
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'clientsecret',
  'apikey',
  'xapikey',
]);

const normalise = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

/** Whether a field of that name holds a credential: listed keys, and any `*password*`/`*secret*`. */
export function isSecretKey(key: string): boolean {
  const name = normalise(key);
  return SECRET_KEYS.has(name) || name.includes('password') || name.includes('secret');
}

// Bounds the walk: log objects are shallow, and a pathological one must not stall the logger.
const MAX_DEPTH = 8;

// Values that serialise themselves (or that pino's error serializer must still recognise as
// errors) are passed through untouched; none of them carries credentials as fields.
function isOpaque(value: object): boolean {
  return (
    value instanceof Error ||
    value instanceof Date ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}

// `ancestors` holds the objects on the current path only: a cycle is cut, while an object that is
// merely referenced twice is redacted at both places.
function redactValue(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (value === null || typeof value !== 'object' || isOpaque(value)) return value;
  if (ancestors.has(value)) return '[Circular]';
  // Deeper than anything we log on purpose: dropped rather than written unchecked.
  if (depth > MAX_DEPTH) return '[Truncated]';
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, ancestors));
    // Class instances (request DTOs) are copied like plain objects: JSON shows their own fields too.
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      copy[key] = isSecretKey(key) ? REDACTED : redactValue(field, depth + 1, ancestors);
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * A copy of a log object with every credential replaced, however deeply it is nested (a request
 * body, a DTO, headers). Never mutates its input: the caller's object may still be in use.
 * Top-level fields named in `serializedKeys` are left for pino's serializers (which need the
 * original `req`/`res`/`err`); their output is protected by pino's `redact` paths instead.
 */
export function redactSecrets(
  value: Record<string, unknown>,
  serializedKeys: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const ancestors = new Set<object>([value]);
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (isSecretKey(key)) copy[key] = REDACTED;
    else if (serializedKeys.has(key)) copy[key] = field;
    else copy[key] = redactValue(field, 1, ancestors);
  }
  return copy;
}
