import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestPlatform } from '../../test/support/platform.ts';
import { drainBookingEvents, EVENT_BATCH_SIZE, processBookingEvents } from './booking-events.ts';

const platform = useTestPlatform();

const pending = async () =>
  Number(
    (
      await sql<{ n: string }>`select count(*) as n from booking_event where processed_at is null`.execute(
        platform.database.db,
      )
    ).rows[0]!.n,
  );

describe('booking event outbox', () => {
  it('one run handles a batch; draining handles the whole backlog, each event once', async () => {
    await drainBookingEvents(platform.database.db, platform.services.waitlist);
    const backlog = EVENT_BATCH_SIZE * 2 + 50;
    // New holds, as a burst of bookings leaves them: nothing to release, only to mark handled.
    await sql`insert into booking_event (booking_id, tenant_id, site_id, space_id, old_status, new_status, starts_at, ends_at)
              select gen_random_uuid(), 'soest', gen_random_uuid(), gen_random_uuid(), null, 'held', now(), now() + interval '1 hour'
              from generate_series(1, ${backlog})`.execute(platform.database.db);
    expect(await processBookingEvents(platform.database.db, platform.services.waitlist)).toBe(
      EVENT_BATCH_SIZE,
    );
    expect(await pending()).toBe(backlog - EVENT_BATCH_SIZE);
    expect(await drainBookingEvents(platform.database.db, platform.services.waitlist)).toBe(
      backlog - EVENT_BATCH_SIZE,
    );
    expect(await pending()).toBe(0);
  });
});
