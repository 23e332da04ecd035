import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

const platform = useTestPlatform();

describe('the 7:00 race for one box (real PostgreSQL, 20 pooled connections)', () => {
  it('50 concurrent overlapping createBooking calls give exactly 1 booking and 49 SpaceUnavailableError', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { CARGO: 1 } });
    const space = spaces[0]!;
    const commuters = await Promise.all(Array.from({ length: 50 }, (_, i) => platform.commuter(`racer${i}`)));

    // Overlapping but not identical periods: every pair overlaps in the 10:00–11:00 hour.
    const base = hoursFromNow(24);
    const results = await Promise.all(
      commuters.map((c, i) =>
        platform.gql(
          CREATE_BOOKING,
          {
            input: {
              spaceId: space.id,
              from: new Date(base.getTime() - (i % 3) * 3_600_000).toISOString(),
              to: new Date(base.getTime() + (1 + (i % 4)) * 3_600_000).toISOString(),
              idempotencyKey: `race-${i}`,
            },
          },
          c.token,
        ),
      ),
    );

    const typenames = results.map((r) => r.data.createBooking.__typename);
    expect(results.every((r) => r.status === 200 && !r.errors)).toBe(true);
    expect(typenames.filter((t) => t === 'Booking')).toHaveLength(1);
    expect(typenames.filter((t) => t === 'SpaceUnavailableError')).toHaveLength(49);

    const live = await sql<{ n: string }>`
      select count(*) as n from booking where space_id = ${space.id} and status in ('held','confirmed','active')`.execute(
      platform.database.db,
    );
    expect(Number(live.rows[0]!.n)).toBe(1);
  });

  it('non-overlapping bookings of the same space all succeed concurrently', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    const commuter = await platform.commuter('serial');
    const base = hoursFromNow(48);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        platform.gql(
          CREATE_BOOKING,
          {
            input: {
              spaceId: spaces[0]!.id,
              from: new Date(base.getTime() + i * 2 * 3_600_000).toISOString(),
              to: new Date(base.getTime() + (i * 2 + 2) * 3_600_000).toISOString(),
              idempotencyKey: `slot-${i}`,
            },
          },
          commuter.token,
        ),
      ),
    );
    expect(results.map((r) => r.data.createBooking.__typename)).toEqual(Array(10).fill('Booking'));
  });
});
