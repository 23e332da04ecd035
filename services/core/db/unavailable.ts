/**
 * Errors that mean "the database cannot be reached right now", as opposed to a query that is
 * wrong: the server refuses or drops connections (restart, failover, network), is shutting
 * down or starting up, or has no connection slot left. Requests that meet one get a typed
 * SERVICE_UNAVAILABLE answer (HTTP 503, Retry-After) instead of a masked internal error, and
 * postgres.js connects again by itself once the server is back.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // postgres.js's own
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** SQLSTATE 08xxx connection exceptions, 57P01–57P03 shutdown/crash/starting up, 53300 too many connections. */
const SQLSTATE = /^(08...|57P0[123]|53300)$/;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    // AggregateError (several addresses refused), or an error wrapping another.
    const inner =
      (e as { errors?: unknown[]; cause?: unknown }).errors?.[0] ?? (e as { cause?: unknown }).cause;
    e = inner;
  }
  return false;
}

/** Seconds a client should wait before trying again: a restart usually takes a few. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
