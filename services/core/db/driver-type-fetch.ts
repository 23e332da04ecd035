/**
 * postgres.js 3.4.9 asks every new connection for the server's array types and drops the
 * promise of that query (porsager/postgres#1192, #1205, #1223, open upstream). When the server
 * goes away or cancels the query at that moment (a connection opened just as PostgreSQL
 * restarts), its rejection is handled nowhere, and Node ends the whole process on an unhandled
 * rejection: the API would die of the very outage it is built to ride out (the chaos test met
 * it about once in twenty restarts). The failure is the connection's alone; the caller's own
 * statement fails or succeeds on its own terms, and the pool opens a fresh connection. So this
 * one rejection is logged, and every other one still ends the process as before.
 */

/** True for the rejection of postgres.js's own query for array types, and nothing else. */
export function isDriverTypeFetchFailure(reason: unknown): boolean {
  const query = (reason as { query?: unknown } | null)?.query;
  return typeof query === 'string' && query.includes('pg_catalog.pg_type') && query.includes('typarray');
}

/** Installs the process-wide exception for that rejection; returns its removal. */
export function survivingDriverTypeFetchFailures(logger: {
  warn(details: object, message: string): void;
}): () => void {
  const onUnhandled = (reason: unknown) => {
    if (isDriverTypeFetchFailure(reason)) {
      logger.warn({ err: reason }, 'a new database connection failed while starting; the pool opens another');
      return;
    }
    // What Node does when nobody listens: the rejection becomes an uncaught exception.
    throw reason;
  };
  process.on('unhandledRejection', onUnhandled);
  return () => process.off('unhandledRejection', onUnhandled);
}
