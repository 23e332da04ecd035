import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../../services/api/platform.ts';
import { AccessTokens } from '../../services/core/auth/tokens.ts';
import { loadConfig } from '../../services/core/config.ts';
import { createLogger } from '../../services/core/logging.ts';
import { AVAILABILITY, CREATE_BOOKING, dayAt, poolSlot } from '../lib/operations.js';
import { type OwnPostgres, startOwnPostgres } from './own-postgres.ts';

/**
 * PostgreSQL goes away under load (a clean restart, then a crash) while the API keeps running:
 * every request gets either its answer or a typed SERVICE_UNAVAILABLE with HTTP 503 and
 * Retry-After, /readyz says 503 while the database is away, and the same API process serves
 * again once it is back. Afterwards every booking key is retried as a client would: each ends
 * with exactly one booking, so nothing answered was lost and nothing was booked twice.
 */
const JWT_SECRET = 'chaos-test-secret-with-at-least-32-characters';
const WORKERS = 6;
const SPACES = 40;

let pg: OwnPostgres;
let platform: Platform;
let tokens: string[] = [];
let spaceIds: string[] = [];
let siteId = '';

beforeAll(async () => {
  pg = await startOwnPostgres();
  const admin = postgres(pg.url('postgres'), { max: 1, onnotice: () => {} });
  await admin.unsafe('create database chaos');
  await admin.end();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pg.url('chaos'),
    DATABASE_POOL_SIZE: '8',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'swf-chaos-')),
    JWT_SECRET,
    SWEEP_INTERVAL_MS: '500',
    LOG_LEVEL: 'silent',
    // Six commuters book flat out through both rounds, well past a person's 600 changes per
    // minute: the limiter's 429s are not what this test is about.
    RATE_LIMIT_ACCOUNT_MUTATIONS_PER_MINUTE: '0',
  });
  // Workers on: the sweep, event and mail loops must ride the outage out as well.
  platform = await startPlatform(config, { logger: createLogger('silent'), runWorkers: true });
  const db = platform.database.db;
  const site = await sql<{ id: string }>`
    insert into site (tenant_id, name, lat, lon) values ('soest', 'Chaos-Garage', 51.57, 8.1) returning id`.execute(
    db,
  );
  const spaces = await sql<{ id: string }>`
    insert into space (tenant_id, site_id, label, type)
    select 'soest', ${site.rows[0]!.id}, 'C' || n, 'STANDARD' from generate_series(1, ${SPACES}) n returning id`.execute(
    db,
  );
  spaceIds = spaces.rows.map((r) => r.id);
  siteId = site.rows[0]!.id;
  const accounts = await sql<{ id: string }>`
    insert into account (email, password_hash) select 'chaos-' || n || '@example.org', 'x' from generate_series(1, ${WORKERS}) n
    returning id`.execute(db);
  const issuer = new AccessTokens(JWT_SECRET, 60);
  tokens = await Promise.all(
    accounts.rows.map((a) => issuer.issue({ role: 'commuter', accountId: a.id, tenantId: null })),
  );
}, 180_000);

afterAll(async () => {
  await platform?.close();
  pg?.dispose();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  typename?: string;
  /** The booking's id when the answer was a Booking. */
  id?: string;
  code?: string;
}

async function graphql(query: string, variables: Record<string, unknown>, token?: string): Promise<Answer> {
  const response = await platform.app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, { __typename?: string; id?: string } | null> | null;
    errors?: { extensions?: { code?: string } }[];
  };
  const first = body.data ? Object.values(body.data)[0] : undefined;
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    ...(first && !Array.isArray(first) && first.__typename && { typename: first.__typename }),
    ...(first && !Array.isArray(first) && first.id && { id: first.id }),
    ...(Array.isArray(first) && { typename: 'list' }),
    ...(body.errors?.[0]?.extensions?.code && { code: body.errors[0].extensions.code }),
  };
}

/** Bookings made by this round's load (their idempotency keys carry the round's name). */
async function bookingsOfRound(round: string): Promise<number> {
  const total = await sql<{ n: string }>`
    select count(*) as n from booking b join idempotency_key k on k.booking_id = b.id
    where k.key like ${`${round}-%`}`.execute(platform.database.db);
  return Number(total.rows[0]!.n);
}

async function readyz(): Promise<number> {
  return (await platform.app.request('/readyz')).status;
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}\n${pg.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Booking load from WORKERS commuters plus availability reads, until stopped. */
function startLoad(round: 'fast' | 'immediate') {
  // Each round books its own half of the spaces. A round's attempts walk through the hours
  // whether answered or not, and while the database is away they fail fast: one round once made
  // thousands of attempts, reached the next round's hours on shared spaces, and its retried keys
  // took slots that the next round's fresh keys then found booked (a SpaceUnavailableError).
  const half = spaceIds.length / 2;
  const spaces = round === 'fast' ? spaceIds.slice(0, half) : spaceIds.slice(half);
  const base = dayAt(10, 0, Date.now());
  const keys = new Map<string, { input: Record<string, unknown>; token: string; answer: Answer }>();
  const answers: Answer[] = [];
  let stop = false;
  let next = 0;
  const worker = async (w: number) => {
    while (!stop) {
      const n = next++;
      const slot = poolSlot(n, spaces.length, base);
      const input = {
        spaceId: spaces[slot.spaceIndex],
        from: slot.from,
        to: slot.to,
        idempotencyKey: `${round}-${n}`,
      };
      const answer = await graphql(CREATE_BOOKING, { input }, tokens[w]);
      keys.set(input.idempotencyKey, { input, token: tokens[w]!, answer });
      answers.push(answer);
      // Waits as a client honouring Retry-After would, if much shorter: keeps the attempts made
      // while the database is away within the months that can be booked ahead.
      if (answer.status === 503) await new Promise((r) => setTimeout(r, 50));
      if (n % 3 === 0) {
        answers.push(await graphql(AVAILABILITY, { siteId, from: slot.from, to: slot.to }));
      }
    }
  };
  const running = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  return {
    keys,
    answers,
    async stop() {
      stop = true;
      await running;
    },
  };
}

describe('PostgreSQL restarted under load', () => {
  for (const mode of ['fast', 'immediate'] as const) {
    it(`${mode === 'fast' ? 'clean restart' : 'crash'}: typed 503s while it is away, the same API serves again, nothing lost or doubled`, async () => {
      expect(await readyz()).toBe(200);
      const load = startLoad(mode);
      await until(
        'bookings before the outage',
        () => load.answers.filter((a) => a.typename === 'Booking').length >= 20,
      );

      // Counted just before the outage: every one of these must still be there afterwards.
      const bookingsBefore = await bookingsOfRound(mode);
      expect(bookingsBefore).toBeGreaterThanOrEqual(20);
      pg.stop(mode);
      await until('/readyz 503', async () => (await readyz()) === 503);
      await until('a typed 503 for GraphQL', () =>
        load.answers.some((a) => a.code === 'SERVICE_UNAVAILABLE'),
      );
      const readyBody = await (await platform.app.request('/readyz')).json();
      expect(readyBody).toEqual({ status: 'unavailable', reason: 'a dependency does not answer' });

      pg.start();
      await until('/readyz 200 again', async () => (await readyz()) === 200);
      const before = load.answers.length;
      await until('bookings after the outage', () =>
        load.answers.slice(before).some((a) => a.typename === 'Booking'),
      );
      await load.stop();

      // Every answer was the booking, the (typed) availability answer or a typed, retryable 503.
      const kinds = new Set(load.answers.map((a) => a.typename ?? `${a.status}:${a.code}`));
      for (const kind of kinds) expect(['Booking', 'list', '503:SERVICE_UNAVAILABLE']).toContain(kind);
      for (const a of load.answers.filter((x) => x.status === 503)) expect(a.retryAfter).toMatch(/^\d+$/);
      const unavailable = load.answers.filter((a) => a.code === 'SERVICE_UNAVAILABLE').length;
      expect(unavailable).toBeGreaterThan(0);

      // Retry what the outage interrupted, with the same key, as a client would.
      for (const [key, attempt] of load.keys) {
        if (attempt.answer.typename === 'Booking') continue;
        const retry = await graphql(CREATE_BOOKING, { input: attempt.input }, attempt.token);
        expect(retry.typename, `retry of ${key}`).toBe('Booking');
      }
      const rows = await sql<{ key: string; bookings: string }>`
        select k.key, count(b.id) as bookings
        from idempotency_key k left join booking b on b.id = k.booking_id
        where k.key like ${`${mode}-%`}
        group by k.key`.execute(platform.database.db);
      expect(rows.rows.length).toBe(load.keys.size);
      expect(rows.rows.every((r) => Number(r.bookings) === 1)).toBe(true);
      // Nothing lost: every booking a client was told about exists, none counted before went
      // missing; nothing doubled: one booking per key, as many as keys.
      const confirmed = [...new Set(load.answers.flatMap((a) => (a.id ? [a.id] : [])))];
      const found = await sql<{ n: string }>`
        select count(*) as n from booking where id = any(${confirmed}::uuid[])`.execute(platform.database.db);
      expect(Number(found.rows[0]!.n)).toBe(confirmed.length);
      const bookingsAfter = await bookingsOfRound(mode);
      expect(bookingsAfter).toBeGreaterThanOrEqual(bookingsBefore);
      expect(bookingsAfter).toBe(load.keys.size);
      const overlaps = await sql<{ n: string }>`select booking_overlap_pairs() as n`.execute(
        platform.database.db,
      );
      expect(Number(overlaps.rows[0]!.n)).toBe(0);
    });
  }
});
