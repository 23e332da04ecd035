import type { StatementResult } from './pipeline.ts';

/**
 * Statements that are a whole unit of work on their own — no transaction of ours around them,
 * nothing they need from the connection's session — start with this marker. Those sent while
 * no transaction holds the connection go out together: the ones that arrive in one turn of the
 * event loop share one connection and one socket write.
 *
 * Why: on this machine the socket write to PostgreSQL, with the wake-up of the server process
 * behind it, was the API's largest single cost per booking (about a fifth of its CPU,
 * BENCHMARKS.md). Under load many bookings arrive in the same turn; each paid for its own.
 *
 * Safe because the extended protocol ends every statement with its own Sync: PostgreSQL runs
 * each in its own implicit transaction, in order, and an error fails that statement alone.
 * Nothing waits on a statement queued behind it on the same connection (a queued statement
 * holds no locks yet), so sharing a connection adds no deadlock.
 */
export const STANDALONE_MARKER = '/* standalone */';

/** Most statements sent in one batch: a long batch would keep the last ones waiting. */
export const MAX_BATCH = 32;

export interface BatchConnection {
  send(query: string, parameters?: unknown[]): Promise<StatementResult>;
  release(): void;
}

interface Waiting {
  query: string;
  parameters: unknown[] | undefined;
  resolve(result: StatementResult): void;
  reject(error: unknown): void;
}

/**
 * `send` for standalone statements: the first one of a batch asks for a connection at the end
 * of the current turn of the event loop; every statement that arrives before the connection
 * is in hand (up to MAX_BATCH) joins the batch, and all are written at once.
 */
export function statementBatches(reserve: () => Promise<BatchConnection>) {
  let forming: Waiting[] | null = null;

  const flush = async (batch: Waiting[]) => {
    let connection: BatchConnection;
    try {
      connection = await reserve();
    } catch (error) {
      for (const statement of batch) statement.reject(error);
      return;
    } finally {
      // Later statements start the next batch.
      if (forming === batch) forming = null;
    }
    const sending = batch.map((s) => connection.send(s.query, s.parameters).then(s.resolve, s.reject));
    await Promise.all(sending);
    connection.release();
  };

  return (query: string, parameters?: unknown[]): Promise<StatementResult> =>
    new Promise((resolve, reject) => {
      if (!forming || forming.length >= MAX_BATCH) {
        const batch: Waiting[] = [];
        forming = batch;
        setImmediate(() => void flush(batch));
      }
      forming.push({ query, parameters, resolve, reject });
    });
}
