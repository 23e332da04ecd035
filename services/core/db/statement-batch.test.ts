import { sql } from 'kysely';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/postgres.ts';
import { connectDatabase, type DatabaseHandle } from './connect.ts';
import { MAX_BATCH, STANDALONE_MARKER } from './statement-batch.ts';

/**
 * Standalone statements of one turn share a connection and a write (statement-batch.ts). These
 * tests hold the batch to what sending each statement on its own guarantees: every statement
 * commits or fails by itself, and inside a transaction nothing is batched.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await connectDatabase({ databaseUrl: database.url, poolSize: 4 });
  await sql`create table batch_probe (x int not null check (x > 0))`.execute(handle.db);
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

const marker = sql.raw(STANDALONE_MARKER);

/** Inserts x; answers the server process and transaction that ran the insert. */
const insert = (x: number, marked = true) =>
  sql<{ pid: number; tx: string }>`${marked ? marker : sql.raw('')}
    insert into batch_probe values (${x}) returning pg_backend_pid() as pid, txid_current()::text as tx`
    .execute(handle.db)
    .then((r) => r.rows[0]!);

const count = () =>
  sql<{ n: number }>`select count(*)::int as n from batch_probe`.execute(handle.db).then((r) => r.rows[0]!.n);

describe('standalone statements', () => {
  it('sent in one turn share one connection, and each commits or fails on its own', async () => {
    await sql`truncate batch_probe`.execute(handle.db);
    const settled = await Promise.allSettled([insert(1), insert(2), insert(-3), insert(4), insert(5)]);
    const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    expect(done).toHaveLength(4);
    // One connection for all, one transaction each.
    expect(new Set(done.map((d) => d.pid)).size).toBe(1);
    expect(new Set(done.map((d) => d.tx)).size).toBe(4);
    // The failing one failed alone, with its own error; the ones behind it committed.
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: { code: '23514' } });
    expect(await count()).toBe(4);
  });

  it('without the marker each statement holds a connection of its own', async () => {
    // Each statement keeps its connection a while, so none can be handed on to the next one.
    const sleep = (marked: boolean) =>
      sql<{ pid: number }>`${marked ? marker : sql.raw('')}
        select pg_backend_pid() as pid, pg_sleep(0.2)::text`
        .execute(handle.db)
        .then((r) => r.rows[0]!.pid);
    const plain = await Promise.all([1, 2, 3, 4].map(() => sleep(false)));
    expect(new Set(plain).size).toBe(4);
    const marked = await Promise.all([1, 2, 3, 4].map(() => sleep(true)));
    expect(new Set(marked).size).toBe(1);
  });

  it(`take at most ${MAX_BATCH} statements into one batch`, async () => {
    const done = await Promise.all(Array.from({ length: MAX_BATCH + 8 }, (_, i) => insert(i + 1)));
    const perConnection = new Map<number, number>();
    for (const d of done) perConnection.set(d.pid, (perConnection.get(d.pid) ?? 0) + 1);
    expect(perConnection.size).toBe(2);
    expect(Math.max(...perConnection.values())).toBe(MAX_BATCH);
  });

  it('inside a transaction belong to the transaction: rolled back with it', async () => {
    await sql`truncate batch_probe`.execute(handle.db);
    const attempt = handle.db.transaction().execute(async (tx) => {
      const own = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
      const marked = await sql<{ pid: number }>`${marker}
        insert into batch_probe values (7) returning pg_backend_pid() as pid`.execute(tx);
      expect(marked.rows[0]!.pid).toBe(own.rows[0]!.pid);
      throw new Error('roll back');
    });
    await expect(attempt).rejects.toThrow('roll back');
    expect(await count()).toBe(0);
  });

  it('of a batch whose connection is lost all fail, and the next batch gets a fresh connection', async () => {
    const admin = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      // The first statement keeps the batch's connection busy until it is terminated. It has a
      // parameter and runs for the first time on the connection, so postgres.js asks for its
      // parameters' types first and keeps the statements behind it in a queue of its own, which it
      // would never settle when the connection closes.
      const sleeper = sql`${marker} select pg_sleep(${5}) /* lost batch */`.execute(handle.db);
      const behind = [insert(11), insert(12)];
      const settled = Promise.allSettled([sleeper, ...behind]);
      let pid: number | undefined;
      for (let i = 0; i < 100 && !pid; i++) {
        const rows = await admin`select pid from pg_stat_activity where query like '%/* lost batch */%'
          and pid <> pg_backend_pid() and state = 'active'`;
        pid = rows[0]?.pid as number | undefined;
        if (!pid) await new Promise((r) => setTimeout(r, 20));
      }
      expect(pid).toBeDefined();
      await admin`select pg_terminate_backend(${pid!})`;
      const results = await settled;
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      const after = await insert(13);
      expect(after.pid).not.toBe(pid);
    } finally {
      await admin.end();
    }
  });
});
