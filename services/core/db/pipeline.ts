/**
 * Statements that open a unit of work — `begin` and the actor's settings (tenancy.ts) — are
 * held back and sent in one write together with the next statement that needs an answer,
 * instead of each waiting for its own round trip. On this machine every round trip costs a
 * socket write and a wake-up of both processes, and a request's transaction used to spend two
 * of its four on these (BENCHMARKS.md, "GraphQL overhead").
 *
 * Safe because PostgreSQL runs pipelined statements strictly in order, and an error inside a
 * transaction block makes every later statement of it fail: a failed `set_config` can never
 * let the statement behind it run without the actor's settings. (`begin` itself fails only
 * on a connection that is gone or already in an aborted transaction, where the statement
 * behind it fails as well.) The first error of the batch is the one the caller gets.
 */
export const PIPELINED_MARKER = '/* pipelined */';

export interface StatementResult extends Array<unknown> {
  command: string;
  count: number;
}

type Send = (query: string, parameters?: unknown[]) => Promise<StatementResult>;

/** What a held statement answers at once: no rows (its real answer is awaited with the batch). */
function emptyResult(command: string): StatementResult {
  return Object.assign([], { command, count: 0 });
}

const isHeld = (query: string) => query === 'begin' || query.startsWith(PIPELINED_MARKER);
const endsTransaction = (query: string) => query === 'commit' || query === 'rollback';

/** Wraps one reserved connection's `send`; the next statement carries the held ones with it. */
export function pipelined(send: Send): Send {
  let held: { query: string; parameters: unknown[] | undefined }[] = [];
  return (query, parameters) => {
    if (isHeld(query)) {
      held.push({ query, parameters });
      return Promise.resolve(emptyResult(query === 'begin' ? 'BEGIN' : 'SELECT'));
    }
    if (held.length === 0) return send(query, parameters);
    const batch = held;
    held = [];
    // A transaction that ran nothing but held statements had no effect: it ends without a round trip.
    if (endsTransaction(query) && batch[0]!.query === 'begin') {
      return Promise.resolve(emptyResult(query.toUpperCase()));
    }
    // Sent in this same tick, in order: postgres.js puts them into one write.
    const sending = [...batch.map((s) => send(s.query, s.parameters)), send(query, parameters)];
    // Rejects with the first failure in time, i.e. the earliest failing statement.
    return Promise.all(sending).then((results) => results.at(-1)!);
  };
}
