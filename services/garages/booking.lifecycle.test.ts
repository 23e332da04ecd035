import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/core/clock.ts';
import { bookSpace, CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

const start = new Date();
const clock = new ManualClock(start);
const platform = useTestPlatform({ clock });

const minutes = (n: number) => n * 60_000;
const BOOKING = 'query($id: ID!) { booking(id: $id) { id status holdExpiresAt } }';
const CONFIRM = `mutation($id: ID!) { confirmBooking(id: $id) { __typename ... on Booking { status } ... on Error { message } } }`;
const CANCEL = `mutation($id: ID!) { cancelBooking(id: $id) { __typename ... on Booking { status } ... on Error { message } } }`;
const AVAILABILITY = `query($siteId: ID!, $from: DateTime!, $to: DateTime!) { availability(siteId: $siteId, from: $from, to: $to) { id } }`;

describe('booking lifecycle', () => {
  it('a hold not confirmed within the tenant hold time (default 15 min) expires and frees the space', async () => {
    const { site, spaces } = await createGarage(platform.database.db, { tenantId: 'menden' });
    const commuter = await platform.commuter();
    const period = { from: hoursFromNow(3, clock.now()), to: hoursFromNow(5, clock.now()) };
    const created = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, ...period, idempotencyKey: 'hold' } },
      commuter.token,
    );
    const id = created.data.createBooking.id;
    expect(created.data.createBooking.status).toBe('HELD');
    expect(new Date(created.data.createBooking.holdExpiresAt).getTime() - clock.now().getTime()).toBe(
      minutes(15),
    );

    clock.advance(minutes(14));
    expect((await platform.gql(AVAILABILITY, { siteId: site.id, ...period })).data.availability).toEqual([]);

    clock.advance(minutes(2));
    // Exact before any sweep: the lapsed hold no longer counts as taking the space.
    expect((await platform.gql(AVAILABILITY, { siteId: site.id, ...period })).data.availability).toHaveLength(
      1,
    );
    const late = await platform.gql(CONFIRM, { id }, commuter.token);
    expect(late.data.confirmBooking.__typename).toBe('BookingStateError');

    await platform.runBackgroundOnce();
    expect((await platform.gql(BOOKING, { id }, commuter.token)).data.booking.status).toBe('EXPIRED');

    // Someone else can now book it.
    const other = await platform.commuter();
    const rebook = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, ...period, idempotencyKey: 'after-expiry' } },
      other.token,
    );
    expect(rebook.data.createBooking.__typename).toBe('Booking');
  });

  it('the hold time is per tenant', async () => {
    await sql`update tenant set hold_minutes = 5 where id = 'olpe'`.execute(platform.database.db);
    const { spaces } = await createGarage(platform.database.db, { tenantId: 'olpe' });
    const commuter = await platform.commuter();
    const created = await bookSpace(platform, commuter.token, {
      spaceId: spaces[0]!.id,
      fromHours: 3,
      toHours: 4,
      key: 'olpe',
      now: clock.now(),
    });
    expect(new Date(created.data.createBooking.holdExpiresAt).getTime() - clock.now().getTime()).toBe(
      minutes(5),
    );
  });

  it('confirmed → active at the start → completed at the end; cancelling is refused once active', async () => {
    const { spaces } = await createGarage(platform.database.db);
    const commuter = await platform.commuter();
    const from = hoursFromNow(1, clock.now());
    const created = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, from, to: hoursFromNow(3, clock.now()), idempotencyKey: 'life' } },
      commuter.token,
    );
    const id = created.data.createBooking.id;
    expect((await platform.gql(CONFIRM, { id }, commuter.token)).data.confirmBooking.status).toBe(
      'CONFIRMED',
    );
    clock.advance(from.getTime() - clock.now().getTime() + 1000);
    await platform.runBackgroundOnce();
    expect((await platform.gql(BOOKING, { id }, commuter.token)).data.booking.status).toBe('ACTIVE');
    expect((await platform.gql(CANCEL, { id }, commuter.token)).data.cancelBooking.__typename).toBe(
      'BookingStateError',
    );
    clock.advance(minutes(121));
    await platform.runBackgroundOnce();
    expect((await platform.gql(BOOKING, { id }, commuter.token)).data.booking.status).toBe('COMPLETED');
  });

  it('a cancelled booking frees the space at once', async () => {
    const { site, spaces } = await createGarage(platform.database.db);
    const commuter = await platform.commuter();
    const period = { from: hoursFromNow(30, clock.now()), to: hoursFromNow(32, clock.now()) };
    const created = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, ...period, idempotencyKey: 'cancel' } },
      commuter.token,
    );
    await platform.gql(CONFIRM, { id: created.data.createBooking.id }, commuter.token);
    expect((await platform.gql(AVAILABILITY, { siteId: site.id, ...period })).data.availability).toEqual([]);
    const cancelled = await platform.gql(CANCEL, { id: created.data.createBooking.id }, commuter.token);
    expect(cancelled.data.cancelBooking.status).toBe('CANCELLED');
    expect((await platform.gql(AVAILABILITY, { siteId: site.id, ...period })).data.availability).toHaveLength(
      1,
    );
  });
});
