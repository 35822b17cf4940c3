/** A short, loggable description of a failure, stored as a payment's `lastError`. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const text = typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
