import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/postgres.ts';
import { type DbRole, withActor } from '../tenancy.ts';
import { connectDatabase, type DatabaseHandle } from './connect.ts';

/**
 * `begin` and the actor's settings travel with the transaction's first statement
 * (pipeline.ts). These tests hold it to the guarantees of sending them one by one.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await connectDatabase({ databaseUrl: database.url, poolSize: 4 });
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

// missing_ok: a pooled connection that never ran an actor's transaction does not know
// the setting at all (an error without it); one that did knows it as ''.
const whoAmI = (db: DatabaseHandle['db']) =>
  sql<{ role: string; account: string; txid: string | null }>`
    select current_user as role, coalesce(current_setting('app.account_id', true), '') as account,
           txid_current_if_assigned()::text as txid`
    .execute(db)
    .then((r) => r.rows[0]!);

describe('pipelined transaction start', () => {
  it('runs the first statement as the actor, inside the transaction, for many actors at once', async () => {
    const accounts = Array.from({ length: 40 }, () => randomUUID());
    const seen = await Promise.all(
      accounts.map((accountId) =>
        withActor(handle.db, { role: 'commuter', accountId, tenantId: null }, (tx) => whoAmI(tx)),
      ),
    );
    expect(seen.map((s) => s.role)).toEqual(accounts.map(() => 'swf_app'));
    expect(seen.map((s) => s.account)).toEqual(accounts);
  });

  it('a failing setting fails the transaction with its own error, and the statement behind it never runs', async () => {
    let ran = false;
    const attempt = withActor(
      handle.db,
      { role: 'commuter', accountId: randomUUID(), tenantId: null },
      async (tx) => {
        const row = await whoAmI(tx);
        ran = true;
        return row;
      },
      { dbRole: 'no_such_role' as DbRole },
    );
    // The setting's own error, not 25P02 (a statement of an aborted transaction).
    await expect(attempt).rejects.toThrow(/role "no_such_role" does not exist/);
    expect(ran).toBe(false);
    // The connection went back clean: the next transaction works and sees its own settings.
    const accountId = randomUUID();
    const after = await withActor(handle.db, { role: 'commuter', accountId, tenantId: null }, (tx) =>
      whoAmI(tx),
    );
    expect(after).toMatchObject({ role: 'swf_app', account: accountId });
  });

  it('a transaction that ran nothing leaves no connection inside a transaction', async () => {
    for (let i = 0; i < 8; i++) {
      await withActor(handle.db, { role: 'anonymous', accountId: null, tenantId: null }, async () => 1);
    }
    // Outside any transaction: the superuser, no actor set, no transaction id.
    const plain = await whoAmI(handle.db);
    expect(plain.role).toBe('postgres');
    expect(plain.account).toBe('');
    const stuck = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and state like 'idle in transaction%'`.execute(handle.db);
    expect(stuck.rows[0]!.n).toBe(0);
  });
});
