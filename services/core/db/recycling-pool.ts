import type postgres from 'postgres';
import { pipelined, type StatementResult } from './pipeline.ts';
import { type BatchConnection, STANDALONE_MARKER, statementBatches } from './statement-batch.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

/**
 * The postgres.js pool as kysely-postgres-js sees it (`reserve()` and `end()`), made to
 * survive a database restart, and preparing statements.
 *
 * Why recycle: postgres.js 3.4.9 does not come back cleanly from an outage under load. A
 * reserve() whose connection attempt fails stays in the pool's wait queue after it was
 * rejected; once the server is back, every new connection is handed to such a stale waiter
 * and lost, until every later reserve() waits forever. A query sent on a reserved connection
 * whose socket closed crashes the process from a timer, and releasing such a connection marks
 * it open (porsager/postgres#1208). So after the first connection-level error the whole pool
 * generation is retired: it takes no new work, ends within CLOSE_TIMEOUT_SECONDS (its
 * leftovers are rejected, not left hanging), and the next reserve() opens a fresh one. A
 * reserved connection that lost its server answers that error itself and is never released.
 *
 * Why prepare: kysely-postgres-js runs queries through `unsafe()`, which does not prepare, so
 * each query with parameters costs two round trips (parse and describe, then bind and
 * execute). Prepared, later runs of a statement on a connection take one: half the database
 * time of a booking (BENCHMARKS.md). Off behind PgBouncer in transaction mode.
 *
 * Why pipeline: see pipeline.ts; `begin` and the actor's settings ride along with the next
 * statement of the transaction.
 *
 * Why batch: see statement-batch.ts; standalone statements of one turn share a connection and
 * a write.
 */
export const CLOSE_TIMEOUT_SECONDS = 5;
/**
 * Longest wait for a connection from the pool: past it the request fails as "database
 * unavailable" (HTTP 503) and the generation is retired. A healthy pool hands one out in
 * milliseconds; waiting longer means the pool lost its connections (see above).
 */
export const RESERVE_TIMEOUT_MS = 15_000;

class ReserveTimeoutError extends Error {
  // Classified like a connect timeout: the database is not usable from here right now.
  readonly code = 'CONNECT_TIMEOUT';
  constructor() {
    super(`No database connection within ${RESERVE_TIMEOUT_MS} ms`);
  }
}

/** Reserves a connection within RESERVE_TIMEOUT_MS; one that arrives later is released at once. */
async function reserveWithin(generation: postgres.Sql): Promise<postgres.ReservedSql> {
  const reserving = generation.reserve();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reserving.then(
        (late) => late.release(),
        () => undefined,
      );
      reject(new ReserveTimeoutError());
    }, RESERVE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([reserving, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type ConnectionInternals = { onclose?: ((error?: unknown) => void) | null };

export function recyclingPool(create: () => postgres.Sql, prepare: boolean): postgres.Sql {
  let current: postgres.Sql | null = null;
  const ending = new Set<Promise<void>>();

  const retire = (generation: postgres.Sql) => {
    if (current !== generation) return;
    current = null;
    const ended = generation.end({ timeout: CLOSE_TIMEOUT_SECONDS }).catch(() => undefined);
    ending.add(ended);
    void ended.finally(() => ending.delete(ended));
  };

  /** A connection of the current generation, held until `release`, sending unpipelined. */
  const reserveConnection = async (): Promise<BatchConnection> => {
    current ??= create();
    const generation = current;
    let connection: postgres.ReservedSql;
    try {
      connection = await reserveWithin(generation);
    } catch (error) {
      if (isDatabaseUnavailable(error)) retire(generation);
      throw error;
    }
    let lost: unknown = null;
    // Rejecters of the statements sent on this connection and not yet answered.
    const unanswered = new Set<(error: unknown) => void>();
    const loseWith = (error: unknown) => {
      lost ??= error;
      retire(generation);
      // postgres.js never settles the statements that wait in a reserved connection's own queue
      // (behind one that needs its parameters described first, as every statement's first run on
      // a connection does) when the connection closes; a batch that lost its server would wait
      // forever. The statement in flight is rejected with the connection's error, so that error
      // ends the rest too.
      for (const reject of unanswered) reject(lost);
      unanswered.clear();
    };
    let underlying: ConnectionInternals | undefined;
    // postgres.js hands its connection object to `onexecute` (its own begin() learns of a close
    // mid-transaction this way); answering true keeps its pipelining as it was.
    const onexecute = (c: ConnectionInternals) => {
      if (!underlying) {
        underlying = c;
        c.onclose = (error) => loseWith(error ?? new Error('CONNECTION_CLOSED'));
      }
      return true;
    };
    const options = { prepare, onexecute } as unknown as postgres.UnsafeQueryOptions;
    return {
      send(query, parameters) {
        if (lost) return Promise.reject(lost);
        return new Promise<StatementResult>((resolve, reject) => {
          unanswered.add(reject);
          connection.unsafe(query, parameters as postgres.ParameterOrJSON<never>[], options).then(
            (result) => {
              unanswered.delete(reject);
              resolve(result as unknown as StatementResult);
            },
            (error: unknown) => {
              unanswered.delete(reject);
              if (isDatabaseUnavailable(error)) loseWith(error);
              reject(error);
            },
          );
        });
      },
      release() {
        if (underlying?.onclose) underlying.onclose = null;
        if (!lost) connection.release();
      },
    };
  };

  const standalone = statementBatches(reserveConnection);

  // Kysely reserves before its first statement; the connection is taken only when that
  // statement shows what it needs: a standalone one (statement-batch.ts) goes out with others
  // of its turn, anything else (`begin` first of all) holds a connection of its own.
  const reserve = async () => {
    let reserved: Promise<BatchConnection> | undefined;
    const send = (query: string, parameters?: unknown[]): Promise<StatementResult> => {
      if (!reserved && query.startsWith(STANDALONE_MARKER)) return standalone(query, parameters);
      reserved ??= reserveConnection();
      return reserved.then((connection) => connection.send(query, parameters));
    };
    return {
      unsafe: pipelined(send),
      release() {
        reserved?.then(
          (connection) => connection.release(),
          () => undefined,
        );
      },
    };
  };

  const end = async () => {
    if (current) retire(current);
    await Promise.all([...ending]);
  };

  return { reserve, end } as unknown as postgres.Sql;
}
