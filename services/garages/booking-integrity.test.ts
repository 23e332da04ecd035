import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

/** bookingOverlaps: the consistency check the load tests run after every scenario. */
const platform = useTestPlatform();

const CHECK = '{ bookingOverlaps { pairs checkedAt } }';

describe('bookingOverlaps', () => {
  it('is for staff only', async () => {
    for (const token of [undefined, (await platform.commuter()).token]) {
      const result = await platform.gql(CHECK, {}, token);
      expect(result.errors?.[0]?.extensions?.code).toBe('ForbiddenError');
    }
  });

  it('counts 0 with bookings in place, and counts a pair once the constraint is gone (the check can fail)', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    const commuter = await platform.commuter();
    const period = { from: hoursFromNow(10), to: hoursFromNow(12) };
    const booked = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, ...period, idempotencyKey: 'first' } },
      commuter.token,
    );
    expect(booked.data.createBooking.__typename).toBe('Booking');
    const operator = await platform.staff('olpe', 'operator');
    expect((await platform.gql(CHECK, {}, operator.token)).data.bookingOverlaps.pairs).toBe(0);

    // Only a superuser can do this: it is the failure the check exists to catch.
    await sql`alter table booking drop constraint booking_no_overlap`.execute(platform.database.db);
    await sql`
      insert into booking (tenant_id, site_id, space_id, account_id, starts_at, ends_at, status)
      select tenant_id, site_id, space_id, account_id, starts_at + interval '1 hour', ends_at, 'confirmed'
      from booking where space_id = ${spaces[0]!.id}`.execute(platform.database.db);
    // Staff of another town see the region's count: it names no booking.
    const check = await platform.gql(CHECK, {}, operator.token);
    expect(check.data.bookingOverlaps.pairs).toBe(1);
  });
});
