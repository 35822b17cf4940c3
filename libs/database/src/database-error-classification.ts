/**
 * What a failed database call means for the caller, read from the Postgres SQLSTATE or the pool:
 * - `unavailable`: the database is down, overloaded or too slow right now (no connection within
 *   the connect timeout, statement timeout, lock timeout, too many connections, shutting down,
 *   serialization conflict). The same request can succeed later: HTTP answers 503 + Retry-After.
 * - `invalid-value`: Postgres refused a value as data (SQLSTATE class 22: text with NUL bytes,
 *   dates out of its range, malformed numbers). Every such value comes from a request, so the
 *   request is at fault: HTTP answers 400, never 500.
 */
export type DatabaseErrorClass = 'unavailable' | 'invalid-value';

const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout expired
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '55P03', // lock_not_available: lock_timeout expired
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
/** Whole classes: 08 connection exception, 53 insufficient resources (too many connections, disk full). */
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '53']);
const INVALID_VALUE_SQLSTATE_CLASS = '22';

/**
 * pg-pool and pg raise plain Errors, without a SQLSTATE, when no connection comes in time, and when
 * the server goes away in the middle of a query (crashed, killed, failed over): the connection
 * ends before any answer, which says nothing against the request.
 */
const NO_CONNECTION =
  /^timeout exceeded when trying to connect$|^Connection terminated due to connection timeout$|^Connection terminated unexpectedly$/;

/** TypeORM's QueryFailedError copies the driver's fields onto itself and keeps them in driverError. */
function sqlStateOf(error: object): string | undefined {
  const own = (error as { code?: unknown }).code;
  const driver = (error as { driverError?: { code?: unknown } }).driverError?.code;
  const code = typeof own === 'string' ? own : driver;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function classifyDatabaseError(error: unknown): DatabaseErrorClass | undefined {
  if (!(error instanceof Error)) return undefined;
  const sqlState = sqlStateOf(error);
  if (sqlState !== undefined) {
    const sqlClass = sqlState.slice(0, 2);
    if (UNAVAILABLE_SQLSTATES.has(sqlState) || UNAVAILABLE_SQLSTATE_CLASSES.has(sqlClass)) {
      return 'unavailable';
    }
    if (sqlClass === INVALID_VALUE_SQLSTATE_CLASS) return 'invalid-value';
    return undefined;
  }
  return NO_CONNECTION.test(error.message) ? 'unavailable' : undefined;
}
