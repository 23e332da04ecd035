import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

/** availability(siteId, from, to): one statement through free_spaces, the same answer for everyone. */
const platform = useTestPlatform();

const AVAILABILITY = `query($siteId: ID!, $from: DateTime!, $to: DateTime!, $type: SpaceType) {
  availability(siteId: $siteId, from: $from, to: $to, spaceType: $type) { id label type } }`;

async function book(token: string, spaceId: string, from: Date, to: Date, key: string) {
  const result = await platform.gql(
    CREATE_BOOKING,
    { input: { spaceId, from, to, idempotencyKey: key } },
    token,
  );
  expect(result.data.createBooking.__typename).toBe('Booking');
  return result.data.createBooking.id as string;
}

describe('availability', () => {
  it('live bookings take a space for overlapping windows only; lapsed, cancelled and expired ones do not', async () => {
    const { site, spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 5 } });
    const [held, confirmed, lapsed, cancelled, free] = spaces.map((s) => s.id);
    const commuter = await platform.commuter();
    const from = hoursFromNow(24);
    const to = hoursFromNow(26);
    await book(commuter.token, held!, from, to, 'held');
    await book(commuter.token, confirmed!, from, to, 'confirmed');
    await book(commuter.token, lapsed!, from, to, 'lapsed');
    await book(commuter.token, cancelled!, from, to, 'cancelled');
    await sql`update booking set status = 'confirmed', hold_expires_at = null where space_id = ${confirmed!}`.execute(
      platform.database.db,
    );
    await sql`update booking set hold_expires_at = now() - interval '1 minute' where space_id = ${lapsed!}`.execute(
      platform.database.db,
    );
    await sql`update booking set status = 'cancelled', hold_expires_at = null where space_id = ${cancelled!}`.execute(
      platform.database.db,
    );

    const inside = await platform.gql(AVAILABILITY, { siteId: site.id, from, to });
    expect(inside.data.availability.map((s: { id: string }) => s.id).sort()).toEqual(
      [lapsed!, cancelled!, free!].sort(),
    );
    // Periods are [from, to): the window right after the bookings is entirely free.
    const after = await platform.gql(AVAILABILITY, { siteId: site.id, from: to, to: hoursFromNow(27) });
    expect(after.data.availability).toHaveLength(5);
  });

  it('filters by type and lists by label; retired spaces are never offered', async () => {
    const { site, spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 2, CARGO: 2 } });
    const cargo = spaces.filter((s) => s.type === 'CARGO');
    await sql`update space set retired_at = now() where id = ${cargo[1]!.id}`.execute(platform.database.db);
    const window = { from: hoursFromNow(30), to: hoursFromNow(31) };
    const all = await platform.gql(AVAILABILITY, { siteId: site.id, ...window });
    expect(all.data.availability.map((s: { label: string }) => s.label)).toEqual(['C1', 'S1', 'S2']);
    const onlyCargo = await platform.gql(AVAILABILITY, { siteId: site.id, ...window, type: 'CARGO' });
    expect(onlyCargo.data.availability).toEqual([{ id: cargo[0]!.id, label: 'C1', type: 'CARGO' }]);
  });

  it('a retired or unknown garage is NotFoundError, not "all taken"', async () => {
    const { site } = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    await sql`update site set retired_at = now() where id = ${site.id}`.execute(platform.database.db);
    const window = { from: hoursFromNow(30), to: hoursFromNow(31) };
    for (const siteId of [site.id, '00000000-0000-4000-8000-000000000000']) {
      const result = await platform.gql(AVAILABILITY, { siteId, ...window });
      expect(result.errors?.[0]?.extensions?.code).toBe('NotFoundError');
    }
  });

  it('everyone gets the same answer: anonymous, a commuter, staff of the town and staff of another town', async () => {
    const { site } = await createGarage(platform.database.db, { tenantId: 'olpe', spaces: { STANDARD: 3 } });
    const window = { siteId: site.id, from: hoursFromNow(40), to: hoursFromNow(41) };
    const answers = [
      await platform.gql(AVAILABILITY, window),
      await platform.gql(AVAILABILITY, window, (await platform.commuter()).token),
      await platform.gql(AVAILABILITY, window, (await platform.staff('olpe', 'operator')).token),
      await platform.gql(AVAILABILITY, window, (await platform.staff('soest', 'planner')).token),
    ];
    for (const answer of answers) expect(answer.data.availability).toEqual(answers[0]!.data.availability);
    expect(answers[0]!.data.availability).toHaveLength(3);
  });
});
