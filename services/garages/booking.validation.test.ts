import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';
import { ManualClock } from '../core/clock.ts';
import { MAX_RADIUS_KM } from './availability.service.ts';
import { IDEMPOTENCY_KEY_MAX_LENGTH } from './booking.service.ts';
import { MAX_ADVANCE_DAYS, MIN_BOOKING_MINUTES, PAST_START_TOLERANCE_MINUTES } from './booking-period.ts';

type Platform = Awaited<ReturnType<typeof createTestPlatform>>;

const minute = 60_000;
const day = 24 * 60 * minute;

// A frozen clock, so that the boundaries relative to "now" can be hit to the millisecond.
const now = hoursFromNow(0);
let platform: Platform;
let commuter: { token: string; id: string };

beforeAll(async () => {
  platform = await createTestPlatform({ clock: new ManualClock(now) });
  commuter = await platform.commuter('validator');
});
afterAll(async () => {
  await platform?.dropDatabase();
});

interface Attempt {
  spaceId?: string;
  from?: Date | string;
  to?: Date | string;
  idempotencyKey?: string;
  token?: string | null;
}

async function newSpace(tenantId = 'soest'): Promise<string> {
  const { spaces } = await createGarage(platform.database.db, { tenantId, spaces: { STANDARD: 1 } });
  return spaces[0]!.id;
}

const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());

/** createBooking through GraphQL; defaults to a valid booking tomorrow by the signed-in commuter. */
async function book(attempt: Attempt) {
  const from = attempt.from ?? new Date(now.getTime() + day);
  const to = attempt.to ?? new Date(new Date(from).getTime() + 2 * 60 * minute);
  const result = await platform.gql(
    CREATE_BOOKING,
    {
      input: {
        spaceId: attempt.spaceId ?? (await newSpace()),
        from: iso(from),
        to: iso(to),
        idempotencyKey: attempt.idempotencyKey ?? randomUUID(),
      },
    },
    attempt.token === null ? undefined : (attempt.token ?? commuter.token),
  );
  return result;
}

/** The typed error of a createBooking result (a member of CreateBookingResult). */
async function bookingError(attempt: Attempt) {
  const result = await book(attempt);
  expect(result.errors).toBeUndefined();
  return result.data.createBooking as { __typename: string; field?: string | null; message: string };
}

async function liveBookings(spaceId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from booking where space_id = ${spaceId}`.execute(platform.database.db);
  return Number(rows[0]!.n);
}

describe('createBooking: the period', () => {
  const at = (ms: number) => new Date(now.getTime() + ms);

  it('a reversed period is a ValidationError on `to`, and nothing is stored', async () => {
    const spaceId = await newSpace();
    const error = await bookingError({ spaceId, from: at(day + 3 * 60 * minute), to: at(day + 60 * minute) });
    expect(error).toMatchObject({ __typename: 'ValidationError', field: 'to' });
    expect(await liveBookings(spaceId)).toBe(0);
  });

  it('a zero-length period is a ValidationError on `to`', async () => {
    const error = await bookingError({ from: at(day), to: at(day) });
    expect(error).toMatchObject({ __typename: 'ValidationError', field: 'to' });
  });

  it('a period in the past is a ValidationError on `from`', async () => {
    const error = await bookingError({ from: at(-3 * 60 * minute), to: at(-60 * minute) });
    expect(error).toMatchObject({ __typename: 'ValidationError', field: 'from' });
    const ongoing = await bookingError({ from: at(-2 * 60 * minute), to: at(2 * 60 * minute) });
    expect(ongoing).toMatchObject({ __typename: 'ValidationError', field: 'from' });
  });

  it(`a start up to ${PAST_START_TOLERANCE_MINUTES} minutes ago is accepted, a second more is not`, async () => {
    const tolerance = PAST_START_TOLERANCE_MINUTES * minute;
    const late = await bookingError({ from: at(-tolerance - 1000), to: at(2 * 60 * minute) });
    expect(late).toMatchObject({ __typename: 'ValidationError', field: 'from' });
    const justInTime = await bookingError({ from: at(-tolerance), to: at(2 * 60 * minute) });
    expect(justInTime.__typename).toBe('Booking');
  });

  it(`shorter than ${MIN_BOOKING_MINUTES} minutes is a ValidationError naming the minimum; exactly that is accepted`, async () => {
    const from = at(day);
    const short = await bookingError({ from, to: at(day + MIN_BOOKING_MINUTES * minute - 1000) });
    expect(short).toMatchObject({ __typename: 'ValidationError', field: 'to' });
    expect(short.message).toContain(String(MIN_BOOKING_MINUTES));
    const exact = await bookingError({ from, to: at(day + MIN_BOOKING_MINUTES * minute) });
    expect(exact.__typename).toBe('Booking');
  });

  it(`a start more than ${MAX_ADVANCE_DAYS} days ahead is a ValidationError on \`from\``, async () => {
    const limit = MAX_ADVANCE_DAYS * day;
    const tooFar = await bookingError({ from: at(limit + 1000), to: at(limit + 60 * minute + 1000) });
    expect(tooFar).toMatchObject({ __typename: 'ValidationError', field: 'from' });
    const farthest = await bookingError({ from: at(limit), to: at(limit + 60 * minute) });
    expect(farthest.__typename).toBe('Booking');
  });

  it("longer than the town's maximum is a ValidationError naming the limit; exactly the maximum is accepted", async () => {
    // Olpe, not the Soest of the other tests: this town's rule changes here.
    await sql`update tenant set max_booking_days = 2 where id = 'olpe'`.execute(platform.database.db);
    const spaceId = await newSpace('olpe');
    const from = at(day);

    const tooLong = await bookingError({ spaceId, from, to: at(3 * day + 60 * minute) });
    expect(tooLong).toMatchObject({ __typename: 'ValidationError', field: 'to' });
    expect(tooLong.message).toMatch(/at most 2 days/);
    expect(await liveBookings(spaceId)).toBe(0);

    const longest = await bookingError({ spaceId, from, to: at(3 * day) });
    expect(longest.__typename).toBe('Booking');
  });
});

describe('createBooking: the space', () => {
  it('an unknown space id is a NotFoundError', async () => {
    expect(await bookingError({ spaceId: randomUUID() })).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('a malformed space id is a NotFoundError, not a database error', async () => {
    expect(await bookingError({ spaceId: 'abc' })).toMatchObject({ __typename: 'NotFoundError' });
    expect(await bookingError({ spaceId: "'; drop table booking; --" })).toMatchObject({
      __typename: 'NotFoundError',
    });
  });

  it('a retired space is a NotFoundError', async () => {
    const spaceId = await newSpace();
    await sql`update space set retired_at = now() where id = ${spaceId}`.execute(platform.database.db);
    expect(await bookingError({ spaceId })).toMatchObject({ __typename: 'NotFoundError' });
  });
});

describe('createBooking: malformed dates', () => {
  const expectBadUserInput = (result: Awaited<ReturnType<typeof book>>) => {
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  };

  it.each([
    ['an impossible month and day', '2026-13-45T00:00:00Z'],
    ['a word', 'tomorrow'],
    ['a date and time without time zone', '2026-11-23T07:00:00'],
    ['a date without time', '2026-11-23'],
  ])('%s (%s) is BAD_USER_INPUT', async (_name, value) => {
    expectBadUserInput(await book({ from: value, to: new Date(now.getTime() + 2 * day) }));
    expectBadUserInput(await book({ from: new Date(now.getTime() + day), to: value }));
  });

  it('a malformed date written into the query (not a variable) is BAD_USER_INPUT too', async () => {
    const spaceId = await newSpace();
    const result = await platform.gql(
      `mutation { createBooking(input: { spaceId: "${spaceId}", from: "tomorrow",
         to: "2026-11-23T07:00:00Z", idempotencyKey: "literal" }) { __typename } }`,
      {},
      commuter.token,
    );
    expectBadUserInput(result);
  });

  // Product bug: the DateTime scalar trusts `new Date`, which rolls 30 February over into
  // March instead of failing, so the booking silently lands on another day.
  it('a day that does not exist in its month (30 February) is BAD_USER_INPUT', async () => {
    const year = now.getUTCFullYear() + 1;
    expectBadUserInput(await book({ from: `${year}-02-30T10:00:00Z`, to: `${year}-02-30T12:00:00Z` }));
  });
});

describe('createBooking: the idempotency key', () => {
  it('an empty or blank key is a ValidationError on `idempotencyKey`', async () => {
    for (const idempotencyKey of ['', '   ']) {
      expect(await bookingError({ idempotencyKey })).toMatchObject({
        __typename: 'ValidationError',
        field: 'idempotencyKey',
      });
    }
  });

  it(`a key of ${IDEMPOTENCY_KEY_MAX_LENGTH + 1} characters is a ValidationError; ${IDEMPOTENCY_KEY_MAX_LENGTH} is accepted`, async () => {
    const tooLong = await bookingError({ idempotencyKey: 'k'.repeat(IDEMPOTENCY_KEY_MAX_LENGTH + 1) });
    expect(tooLong).toMatchObject({ __typename: 'ValidationError', field: 'idempotencyKey' });
    const longest = await bookingError({ idempotencyKey: 'k'.repeat(IDEMPOTENCY_KEY_MAX_LENGTH) });
    expect(longest.__typename).toBe('Booking');
  });
});

describe('createBooking: who may book', () => {
  it('without a token: NotAuthenticatedError', async () => {
    const spaceId = await newSpace();
    expect(await bookingError({ spaceId, token: null })).toMatchObject({
      __typename: 'NotAuthenticatedError',
    });
    expect(await liveBookings(spaceId)).toBe(0);
  });

  it('with a staff token: ForbiddenError', async () => {
    const operator = await platform.staff('soest', 'operator');
    const spaceId = await newSpace();
    expect(await bookingError({ spaceId, token: operator.token })).toMatchObject({
      __typename: 'ForbiddenError',
    });
    expect(await liveBookings(spaceId)).toBe(0);
  });
});

describe('availability queries', () => {
  const from = new Date(now.getTime() + day);
  const later = new Date(from.getTime() + 2 * 60 * minute);
  const AVAILABILITY = `query($siteId: ID!, $from: DateTime!, $to: DateTime!) {
    availability(siteId: $siteId, from: $from, to: $to) { id } }`;
  const NEAR = `query($radiusKm: Float!, $from: DateTime!, $to: DateTime!) {
    availabilityNear(near: { lat: 51.5782, lon: 8.1085 }, radiusKm: $radiusKm, from: $from, to: $to) {
      site { id } freeCount } }`;
  let siteId: string;

  beforeAll(async () => {
    siteId = (await createGarage(platform.database.db, { spaces: { STANDARD: 2 } })).site.id;
  });

  it('availability with to <= from is a ValidationError', async () => {
    for (const [f, t] of [
      [later, from],
      [from, from],
    ]) {
      const result = await platform.gql(AVAILABILITY, {
        siteId,
        from: f!.toISOString(),
        to: t!.toISOString(),
      });
      expect(result.errors?.[0]?.extensions?.code).toBe('ValidationError');
    }
    const ok = await platform.gql(AVAILABILITY, {
      siteId,
      from: from.toISOString(),
      to: later.toISOString(),
    });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.availability).toHaveLength(2);
  });

  it(`availabilityNear with radiusKm 0 or beyond ${MAX_RADIUS_KM} is a ValidationError; ${MAX_RADIUS_KM} is accepted`, async () => {
    for (const radiusKm of [0, -1, MAX_RADIUS_KM + 0.001, 500]) {
      const result = await platform.gql(NEAR, {
        radiusKm,
        from: from.toISOString(),
        to: later.toISOString(),
      });
      expect(result.errors?.[0]?.extensions?.code, `radiusKm ${radiusKm}`).toBe('ValidationError');
    }
    const ok = await platform.gql(NEAR, {
      radiusKm: MAX_RADIUS_KM,
      from: from.toISOString(),
      to: later.toISOString(),
    });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.availabilityNear.map((a: { site: { id: string } }) => a.site.id)).toContain(siteId);
  });

  it('availabilityNear with to <= from is a ValidationError', async () => {
    const result = await platform.gql(NEAR, {
      radiusKm: 5,
      from: later.toISOString(),
      to: from.toISOString(),
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('ValidationError');
  });
});
