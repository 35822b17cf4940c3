/**
 * The database cannot be used yet (still connecting at start, or reconnecting). Marked transient so
 * the HTTP layer answers 503 with Retry-After and retry policies try again, instead of a 500.
 */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE.UNAVAILABLE';
  readonly transient = true;

  constructor() {
    super('the database is not connected yet');
    this.name = 'DatabaseUnavailableError';
  }
}
