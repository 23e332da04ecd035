import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../../test/support/fixtures.ts';
import { useTestPlatform } from '../../../test/support/platform.ts';
import { planOf } from './availability-cache.plugin.ts';

/**
 * Availability answers from memory, through the real API on a real PostgreSQL: served again
 * while nothing changed, gone after this process's mutations and after other processes'
 * booking changes (booking_changed notifications), kept apart per Authorization header.
 */
const platform = useTestPlatform();

const AVAILABILITY = `query Free($siteId: ID!, $from: DateTime!, $to: DateTime!) {
  availability(siteId: $siteId, from: $from, to: $to) { id label } }`;

const answers = () => ({ ...platform.availabilityCache.answers });
const ids = (result: { data: Record<string, any> }) =>
  (result.data.availability as { id: string }[]).map((s) => s.id).sort();

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('availability cache', () => {
  it('answers a repeated query from memory with the same body', async () => {
    const { site } = await createGarage(platform.database.db, { spaces: { STANDARD: 3 } });
    const window = { siteId: site.id, from: hoursFromNow(50), to: hoursFromNow(51) };
    const before = answers();
    const first = await platform.gql(AVAILABILITY, window);
    const second = await platform.gql(AVAILABILITY, window);
    expect(second).toEqual(first);
    expect(first.data.availability).toHaveLength(3);
    const after = answers();
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(1);
  });

  it('a booking through this API is in the very next answer', async () => {
    const { site, spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 2 } });
    const window = { siteId: site.id, from: hoursFromNow(52), to: hoursFromNow(53) };
    expect(ids(await platform.gql(AVAILABILITY, window))).toHaveLength(2);
    const commuter = await platform.commuter();
    const booked = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, from: window.from, to: window.to, idempotencyKey: 'cache-1' } },
      commuter.token,
    );
    expect(booked.data.createBooking.__typename).toBe('Booking');
    expect(ids(await platform.gql(AVAILABILITY, window))).toEqual([spaces[1]!.id]);
  });

  it('an operator retiring a space through this API is in the next answer (no booking changed, no notification)', async () => {
    const { site, spaces } = await createGarage(platform.database.db, {
      tenantId: 'olpe',
      spaces: { STANDARD: 2 },
    });
    const window = { siteId: site.id, from: hoursFromNow(60), to: hoursFromNow(61) };
    expect(ids(await platform.gql(AVAILABILITY, window))).toHaveLength(2);
    const operator = await platform.staff('olpe', 'operator');
    const retired = await platform.gql(
      `mutation($id: ID!) { retireSpace(id: $id) { __typename ... on Space { retired } } }`,
      { id: spaces[0]!.id },
      operator.token,
    );
    expect(retired.data.retireSpace).toEqual({ __typename: 'Space', retired: true });
    expect(ids(await platform.gql(AVAILABILITY, window))).toEqual([spaces[1]!.id]);
  });

  it("another process's booking reaches the answer through the booking_changed notification", async () => {
    const { site, spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 2 } });
    const window = { siteId: site.id, from: hoursFromNow(54), to: hoursFromNow(55) };
    expect(ids(await platform.gql(AVAILABILITY, window))).toHaveLength(2);
    expect(ids(await platform.gql(AVAILABILITY, window))).toHaveLength(2); // from memory now
    const commuter = await platform.commuter();
    // Straight into the database, as the API process next door or the sweeper would: no mutation here.
    await sql`insert into booking (tenant_id, site_id, space_id, account_id, starts_at, ends_at, status, hold_expires_at)
              values (${site.tenantId}, ${site.id}, ${spaces[0]!.id}, ${commuter.id}, ${window.from}, ${window.to},
                      'held', now() + interval '10 minutes')`.execute(platform.database.db);
    const seen = await until(
      () => platform.gql(AVAILABILITY, window),
      (r) => r.data.availability.length === 1,
    );
    expect(ids(seen)).toEqual([spaces[1]!.id]);
  });

  it('keeps answers apart per Authorization header and never keeps an error', async () => {
    const { site } = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    const window = { siteId: site.id, from: hoursFromNow(56), to: hoursFromNow(57) };
    const commuter = await platform.commuter();
    const before = answers();
    await platform.gql(AVAILABILITY, window);
    await platform.gql(AVAILABILITY, window, commuter.token);
    const forged = await platform.gql(AVAILABILITY, window, `${commuter.token}x`);
    expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answers().miss - before.miss).toBe(3);

    const unknown = { ...window, siteId: '00000000-0000-4000-8000-000000000000' };
    for (let i = 0; i < 2; i++) {
      const result = await platform.gql(AVAILABILITY, unknown);
      expect(result.errors?.[0]?.extensions?.code).toBe('NotFoundError');
    }
    expect(answers().miss - before.miss).toBe(5);
  });

  it('many identical first requests at once run one computation', async () => {
    const { site } = await createGarage(platform.database.db, { spaces: { STANDARD: 4 } });
    const window = { siteId: site.id, from: hoursFromNow(58), to: hoursFromNow(59) };
    const before = answers();
    const results = await Promise.all(Array.from({ length: 10 }, () => platform.gql(AVAILABILITY, window)));
    for (const result of results) expect(result).toEqual(results[0]);
    const after = answers();
    expect(after.miss - before.miss).toBe(1);
    expect(after.shared - before.shared).toBe(9);
  });
});

describe('which operations the cache takes', () => {
  it('only queries of nothing but availability, with the site as a literal or a variable', () => {
    expect(planOf(AVAILABILITY, 'Free')).toEqual({ kind: 'availability', siteIds: [{ variable: 'siteId' }] });
    expect(planOf('{ __typename a: availability(siteId: "s1", from: "x", to: "y") { id } }').kind).toBe(
      'availability',
    );
    expect(planOf('{ availability(siteId: "s1", from: "x", to: "y") { id } me { id } }').kind).toBe('other');
    expect(
      planOf('{ availabilityNear(near: {lat: 1, lon: 2}, radiusKm: 1, from: "x", to: "y") { freeCount } }')
        .kind,
    ).toBe('other');
    expect(
      planOf('query($s: Boolean!) { availability(siteId: "s1", from: "x", to: "y") @include(if: $s) { id } }')
        .kind,
    ).toBe('other');
    expect(planOf('mutation { logout }').kind).toBe('mutation');
    expect(planOf('query A { __typename } mutation B { logout }', 'B').kind).toBe('mutation');
    expect(planOf('query A { __typename } mutation B { logout }').kind).toBe('other');
    expect(planOf('{ availability(').kind).toBe('other');
  });
});
