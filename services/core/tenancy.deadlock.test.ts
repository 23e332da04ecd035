import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/postgres.ts';
import { connectDatabase, type DatabaseHandle } from './db/connect.ts';
import { PgCode, pgErrorCode } from './errors.ts';
import { type Actor, withActor } from './tenancy.ts';

/**
 * Two transactions inserting into one exclusion constraint can wait for each other's
 * uncommitted rows (the 7:00 rush did: bookings of one box). PostgreSQL aborts one with
 * 40P01; `retryDeadlocks` runs that one again. The deadlock is made on purpose here, on real
 * connections: the actor's transaction takes range A, the other takes B, then each inserts a
 * range overlapping the other's. The other session waits 10 s before it looks for deadlocks,
 * so the actor's transaction is the one PostgreSQL aborts.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: DatabaseHandle;
let other: postgres.Sql;
const actor: Actor = { role: 'commuter', accountId: randomUUID(), tenantId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await connectDatabase({ databaseUrl: database.url, poolSize: 2 });
  other = postgres(database.url, { max: 1, onnotice: () => {} });
  await other`create table deadlock_probe (r int4range not null, exclude using gist (r with &&))`;
  await other`grant select, insert on deadlock_probe to swf_app`;
});
afterAll(async () => {
  await other?.end();
  await handle?.close();
  await database?.drop();
});

function signal() {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fire, fired };
}

/** Runs the two transactions into a deadlock; the actor's one counts its attempts. */
async function deadlock(retryDeadlocks: boolean) {
  await other`truncate deadlock_probe`;
  const actorInserted = signal();
  const otherInserted = signal();
  let attempts = 0;
  const insert = (tx: Parameters<Parameters<typeof withActor>[2]>[0], from: number, to: number) =>
    sql`insert into deadlock_probe values (int4range(${from}, ${to}))`.execute(tx);
  const mine = withActor(
    handle.db,
    actor,
    async (tx) => {
      attempts++;
      if (attempts > 1) return insert(tx, 10, 12);
      await insert(tx, 0, 2);
      actorInserted.fire();
      await otherInserted.fired;
      return insert(tx, 4, 6); // waits for the other's [5,7)
    },
    { retryDeadlocks },
  );
  const theirs = other.begin(async (tx) => {
    await tx`set local deadlock_timeout = '10s'`;
    await actorInserted.fired;
    await tx`insert into deadlock_probe values (int4range(5, 7))`;
    otherInserted.fire();
    await new Promise((r) => setTimeout(r, 200));
    await tx`insert into deadlock_probe values (int4range(1, 3))`; // waits for the actor's [0,2)
  });
  const [mineOutcome, theirsOutcome] = await Promise.allSettled([mine, theirs]);
  const rows = await other<{ r: string }[]>`select r::text from deadlock_probe order by lower(r)`;
  return { mineOutcome, theirsOutcome, attempts, ranges: rows.map((row) => row.r) };
}

describe('withActor and deadlocks on an exclusion constraint', () => {
  it('with retryDeadlocks the aborted transaction runs again and commits; the other one commits too', async () => {
    const result = await deadlock(true);
    expect(result.mineOutcome.status).toBe('fulfilled');
    expect(result.theirsOutcome.status).toBe('fulfilled');
    expect(result.attempts).toBe(2);
    // The first attempt left nothing behind.
    expect(result.ranges).toEqual(['[1,3)', '[5,7)', '[10,12)']);
  });

  it('without it the deadlock reaches the caller as 40P01', async () => {
    const result = await deadlock(false);
    expect(result.mineOutcome.status).toBe('rejected');
    const reason = (result.mineOutcome as PromiseRejectedResult).reason;
    expect(pgErrorCode(reason)).toBe(PgCode.deadlockDetected);
    expect(result.attempts).toBe(1);
    expect(result.ranges).toEqual(['[1,3)', '[5,7)']);
  });
});
