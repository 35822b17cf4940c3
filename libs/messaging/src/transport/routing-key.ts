/** A pattern as a broker routes it: strings as they are, object patterns as their JSON. */
export const routingKeyOf = (pattern: unknown): string =>
  typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
