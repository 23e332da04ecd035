import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../../test/support/fixtures.ts';
import { type Platform, startPlatform } from '../../api/platform.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logging.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * The embedded default (no DATABASE_URL): PGlite in a data folder. One platform start before
 * and one after a restart on the same folder; PGlite instances take seconds to create, so
 * the tests share them and run in order.
 */

const PASSWORD = 'correct-horse-battery';
const dataDir = mkdtempSync(join(tmpdir(), 'swf-pglite-'));
let platform: Platform | undefined;

function start(): Promise<Platform> {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  return startPlatform(config, { runWorkers: false, logger: createLogger('silent') });
}

function running(): Platform {
  if (!platform) throw new Error('the platform is not running');
  return platform;
}

type Json = Record<string, any>;

async function gql(query: string, variables?: Record<string, unknown>, token?: string) {
  const response = await running().app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: Json; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(response.status).toBe(200);
  return body.data;
}

async function registerCommuter(name: string): Promise<{ token: string; id: string }> {
  const data = await gql(
    `mutation($input: RegisterInput!) { register(input: $input) {
       __typename ... on AuthPayload { token account { id } } ... on Error { message } } }`,
    { input: { email: `${name}-${randomBytes(4).toString('hex')}@example.org`, password: PASSWORD, name } },
  );
  expect(data.register.__typename).toBe('AuthPayload');
  return { token: data.register.token, id: data.register.account.id };
}

function bookingInput(spaceId: string, from: Date, to: Date, idempotencyKey: string) {
  return { input: { spaceId, from: from.toISOString(), to: to.toISOString(), idempotencyKey } };
}

const MY_BOOKINGS = `{ myBookings(first: 50) { edges { node { id status from to space { id } } } } }`;
const BOOKING = `query($id: ID!) { booking(id: $id) { id status } }`;

async function appliedMigrations(p: Platform) {
  const result = await sql<{ name: string; timestamp: string }>`
    select name, timestamp from kysely_migration order by name`.execute(p.database.db);
  return result.rows;
}

// Written before the restart, checked after it.
let owner: { token: string; id: string };
let spaceId: string;
let neighbourSpaceId: string;
let bookingId: string;
const periodFrom = hoursFromNow(24);
const periodTo = hoursFromNow(26);
let migrationsBefore: { name: string; timestamp: string }[];

beforeAll(async () => {
  platform = await start();
}, 120_000);

afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('the embedded database (PGlite) across a restart', () => {
  it('runs on PGlite and books: create and confirm through GraphQL', async () => {
    const p = running();
    expect(p.database.kind).toBe('pglite');
    migrationsBefore = await appliedMigrations(p);
    expect(migrationsBefore.length).toBeGreaterThan(0);

    const { spaces } = await createGarage(p.database.db, { spaces: { STANDARD: 2 } });
    spaceId = spaces[0]!.id;
    neighbourSpaceId = spaces[1]!.id;
    owner = await registerCommuter('pglite-owner');

    const created = await gql(
      CREATE_BOOKING,
      bookingInput(spaceId, periodFrom, periodTo, 'pglite-first'),
      owner.token,
    );
    expect(created.createBooking).toMatchObject({
      __typename: 'Booking',
      status: 'HELD',
      space: { id: spaceId },
    });
    bookingId = created.createBooking.id;

    const confirmed = await gql(
      `mutation($id: ID!) { confirmBooking(id: $id) { __typename ... on Booking { id status } ... on Error { message } } }`,
      { id: bookingId },
      owner.token,
    );
    expect(confirmed.confirmBooking).toEqual({ __typename: 'Booking', id: bookingId, status: 'CONFIRMED' });
  }, 120_000);

  it('restarts on the same data folder without re-running migrations', async () => {
    await running().close();
    platform = undefined;
    platform = await start();

    // Nothing pending, nothing applied twice: the migration table is exactly as before.
    expect(await migrateToLatest(running().database.db)).toEqual([]);
    expect(await appliedMigrations(running())).toEqual(migrationsBefore);
  }, 120_000);

  it('keeps the booking, and the token still works (the JWT secret lives in the data folder)', async () => {
    const data = await gql(MY_BOOKINGS, {}, owner.token);
    const nodes = data.myBookings.edges.map((e: Json) => e.node);
    expect(nodes).toEqual([
      {
        id: bookingId,
        status: 'CONFIRMED',
        from: periodFrom.toISOString(),
        to: periodTo.toISOString(),
        space: { id: spaceId },
      },
    ]);
  });

  it('refuses an overlapping booking of the same space (exclusion constraint)', async () => {
    const other = await registerCommuter('pglite-overlap');
    const result = await gql(
      CREATE_BOOKING,
      bookingInput(spaceId, hoursFromNow(25), hoursFromNow(27), 'pglite-overlap'),
      other.token,
    );
    expect(result.createBooking.__typename).toBe('SpaceUnavailableError');

    // The same hours on the garage's other space are free: the constraint is per space.
    const free = await gql(
      CREATE_BOOKING,
      bookingInput(neighbourSpaceId, hoursFromNow(25), hoursFromNow(27), 'pglite-free'),
      other.token,
    );
    expect(free.createBooking.__typename).toBe('Booking');
  });

  it('settles 10 concurrent createBooking calls for one space with exactly one booking', async () => {
    const p = running();
    const { spaces } = await createGarage(p.database.db, { spaces: { CARGO: 1 } });
    const space = spaces[0]!;
    const racers = [];
    for (let i = 0; i < 10; i++) racers.push(await registerCommuter(`pglite-racer${i}`));

    // Every pair overlaps in the hour at base.
    const base = hoursFromNow(48);
    const settled = await Promise.allSettled(
      racers.map((racer, i) =>
        gql(
          CREATE_BOOKING,
          bookingInput(
            space.id,
            new Date(base.getTime() - (i % 3) * 3_600_000),
            new Date(base.getTime() + (1 + (i % 4)) * 3_600_000),
            `pglite-race-${i}`,
          ),
          racer.token,
        ),
      ),
    );

    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    const typenames = settled.map((s) =>
      s.status === 'fulfilled' ? s.value.createBooking.__typename : null,
    );
    expect(typenames.filter((t) => t === 'Booking')).toHaveLength(1);
    expect(typenames.filter((t) => t === 'SpaceUnavailableError')).toHaveLength(9);

    const live = await sql<{ n: number }>`
      select count(*)::int as n from booking
      where space_id = ${space.id} and status in ('held', 'confirmed', 'active')`.execute(p.database.db);
    expect(live.rows[0]!.n).toBe(1);
  }, 120_000);

  it('applies row-level security: a commuter cannot read another commuter’s booking', async () => {
    const stranger = await registerCommuter('pglite-stranger');
    const seen = await gql(BOOKING, { id: bookingId }, stranger.token);
    expect(seen.booking).toBeNull();
    const mine = await gql(MY_BOOKINGS, {}, stranger.token);
    expect(mine.myBookings.edges).toEqual([]);

    // The owner does see it, so the null above is the policy and not a broken query.
    const own = await gql(BOOKING, { id: bookingId }, owner.token);
    expect(own.booking).toEqual({ id: bookingId, status: 'CONFIRMED' });
  });
});
