import { sql } from 'kysely';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/core/clock.ts';
import { bookSpace, CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

/**
 * The paths of createBooking's two-statement form that the common case never takes: a lapsed
 * hold the sweep has not expired yet, a key claimed by a concurrent request with other input,
 * a replay after the space was retired.
 */
const clock = new ManualClock(new Date());
const platform = useTestPlatform({ clock });

const BOOKING = 'query($id: ID!) { booking(id: $id) { id status } }';
// Without `space`: a retired space is hidden from commuters, so resolving it would fail the field.
const CREATE = `mutation($input: CreateBookingInput!) {
  createBooking(input: $input) { __typename ... on Booking { id } ... on Error { message } } }`;

async function bookingCount(spaceIds: string[]): Promise<number> {
  const result = await sql<{ n: string }>`
    select count(*) as n from booking where space_id = any(${`{${spaceIds.join(',')}}`}::uuid[])`.execute(
    platform.database.db,
  );
  return Number(result.rows[0]!.n);
}

describe('createBooking, the rare paths', () => {
  it('a lapsed hold that was not swept yet does not block the space: it expires and the new booking wins', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    const period = { from: hoursFromNow(3, clock.now()), to: hoursFromNow(4, clock.now()) };
    const first = await platform.commuter('first');
    const held = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, ...period, idempotencyKey: 'lapsing' } },
      first.token,
    );
    expect(held.data.createBooking.status).toBe('HELD');

    // Still held: the space is taken.
    const second = await platform.commuter('second');
    const early = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, ...period, idempotencyKey: 'too-early' } },
      second.token,
    );
    expect(early.data.createBooking.__typename).toBe('SpaceUnavailableError');

    clock.advance(16 * 60_000); // past the 15 minutes' hold, no sweep run
    const late = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, ...period, idempotencyKey: 'after-lapse' } },
      second.token,
    );
    expect(late.data.createBooking.__typename).toBe('Booking');
    const old = await platform.gql(BOOKING, { id: held.data.createBooking.id }, first.token);
    expect(old.data.booking.status).toBe('EXPIRED');
  });

  it('one key sent concurrently with ten different inputs books once; the other nine get IdempotencyConflictError', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 10 } });
    const commuter = await platform.commuter('eager');
    const period = { from: hoursFromNow(5, clock.now()), to: hoursFromNow(6, clock.now()) };
    const results = await Promise.all(
      spaces.map((space) =>
        platform.gql(
          CREATE_BOOKING,
          { input: { spaceId: space.id, ...period, idempotencyKey: 'one-key' } },
          commuter.token,
        ),
      ),
    );
    const kinds = results.map((r) => r.data.createBooking.__typename).sort();
    expect(kinds.filter((k) => k === 'Booking')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'IdempotencyConflictError')).toHaveLength(9);
    expect(await bookingCount(spaces.map((s) => s.id))).toBe(1);
  });

  it('a retry with the same key returns the booking even after the space was retired', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    const commuter = await platform.commuter('retry');
    const input = {
      spaceId: spaces[0]!.id,
      from: hoursFromNow(7, clock.now()),
      to: hoursFromNow(8, clock.now()),
      idempotencyKey: 'before-retirement',
    };
    const created = await platform.gql(CREATE_BOOKING, { input }, commuter.token);
    expect(created.data.createBooking.__typename).toBe('Booking');
    await sql`update space set retired_at = now() where id = ${spaces[0]!.id}`.execute(platform.database.db);

    const retry = await platform.gql(CREATE, { input }, commuter.token);
    expect(retry.data.createBooking).toMatchObject({
      __typename: 'Booking',
      id: created.data.createBooking.id,
    });
    const fresh = await platform.gql(
      CREATE,
      { input: { ...input, idempotencyKey: 'after-retirement' } },
      commuter.token,
    );
    expect(fresh.data.createBooking.__typename).toBe('NotFoundError');
  });

  it('create_held_booking runs as swf_app with the commuter’s identity, so row-level security applies; the app role may not call it', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 2 } });
    const other = await platform.commuter('someone-else');
    const theirs = await bookSpace(platform, other.token, {
      spaceId: spaces[0]!.id,
      fromHours: 5,
      toHours: 6,
      key: 'theirs',
      now: clock.now(),
    });
    expect(theirs.data.createBooking.__typename).toBe('Booking');
    const me = await platform.commuter('me');
    const call = (tx: typeof platform.database.db, key: string) =>
      sql<{ id: string | null }>`select id from create_held_booking(${me.id}, ${spaces[1]!.id},
        ${hoursFromNow(5, clock.now())}, ${hoursFromNow(6, clock.now())}, gen_random_uuid(), 'createBooking',
        ${key}, 'hash', 'pin-hash', ${clock.now()})`.execute(tx);

    // Rolled back afterwards (thrown out of the transaction): nothing of it stays.
    class RolledBack {
      constructor(readonly seen: Record<string, string | null>) {}
    }
    const outcome = await platform.database.db
      .transaction()
      .execute(async (tx) => {
        const created = await call(tx, 'inside');
        // Still under the function's settings: what this transaction may see of booking now.
        const who = await sql<{ role: string; account: string; visible: string; total: string }>`
          select current_user as role, current_setting('app.account_id') as account,
                 (select count(*) from booking) as visible,
                 (select count(*) from booking where account_id = ${other.id}) as total`.execute(tx);
        throw new RolledBack({ created: created.rows[0]!.id, ...who.rows[0]! });
      })
      .catch((thrown: unknown) => thrown);
    expect(outcome).toBeInstanceOf(RolledBack);
    const seen = (outcome as RolledBack).seen;
    expect(seen.created).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toMatchObject({ role: 'swf_app', account: me.id, visible: '1', total: '0' });

    await expect(
      platform.database.db.transaction().execute(async (tx) => {
        await sql`set local role swf_app`.execute(tx);
        await call(tx, 'as-app-role');
      }),
    ).rejects.toThrow(/permission denied for function create_held_booking/);
  });
  it('create_held_booking keeps looking rows up by index after the tables grew under a connection that first booked while they were small', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    const me = await platform.commuter('early-booker');
    // Analysed while small, as autovacuum does for a new installation's first rows.
    await sql`analyze idempotency_key, booking`.execute(platform.database.db);
    // A connection of its own: its cached plans are made now, on small tables.
    const connection = postgres(platform.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const book = (hour: number) => connection`select id from create_held_booking(${me.id}, ${spaces[0]!.id},
        ${hoursFromNow(hour, clock.now())}, ${hoursFromNow(hour + 1, clock.now())}, gen_random_uuid(),
        'createBooking', ${`early-${hour}`}, 'hash', 'pin-hash', ${clock.now()})`;
      // More calls than PL/pgSQL's five custom plans: the generic plan is cached after them.
      for (let hour = 1; hour <= 8; hour++) expect((await book(hour))[0]!.id).toBeTruthy();

      // Both tables grow by thousands of rows (other commuters' keys, past bookings).
      await sql`
        insert into idempotency_key (account_id, operation, key, request_hash)
        select ${me.id}, 'other-operation', 'k' || i, 'hash' from generate_series(1, 5000) i`.execute(
        platform.database.db,
      );
      await sql`
        insert into booking (tenant_id, site_id, space_id, account_id, starts_at, ends_at, status)
        select tenant_id, site_id, id, ${me.id}, now() - (i + 1) * interval '1 day', now() - i * interval '1 day', 'completed'
        from space, generate_series(1, 5000) i where id = ${spaces[0]!.id}`.execute(platform.database.db);

      // The same connection books once more. pg_stat_xact_user_tables counts the scans of this
      // connection not yet reported to the statistics: its bookings before and this one.
      const scans = await connection.begin(async (tx) => {
        await tx`select id from create_held_booking(${me.id}, ${spaces[0]!.id},
          ${hoursFromNow(20, clock.now())}, ${hoursFromNow(21, clock.now())}, gen_random_uuid(),
          'createBooking', 'early-20', 'hash', 'pin-hash', ${clock.now()})`;
        const rows = await tx<{ relname: string; seq_scan: string; idx_scan: string }[]>`
          select relname, seq_scan::text, idx_scan::text from pg_stat_xact_user_tables
          where relname in ('idempotency_key', 'booking') order by relname`;
        return rows.map((r) => ({ ...r }));
      });
      // The key lookup and the foreign-key check of the new key's booking: index probes only.
      expect(scans).toEqual([
        { relname: 'booking', seq_scan: '0', idx_scan: expect.not.stringMatching(/^0$/) },
        { relname: 'idempotency_key', seq_scan: '0', idx_scan: expect.not.stringMatching(/^0$/) },
      ]);
    } finally {
      await connection.end();
    }
  });
});
