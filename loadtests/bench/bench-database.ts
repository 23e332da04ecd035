import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import postgres from 'postgres';
import { provisionDeviceSecrets } from '../../firmware-bridge/provisioning.ts';
import { hashSecret } from '../../services/core/auth/password.ts';
import { AccessTokens } from '../../services/core/auth/tokens.ts';
import { connectDatabase, type DatabaseHandle } from '../../services/core/db/connect.ts';
import { migrateToLatest } from '../../services/core/db/migrate.ts';

/**
 * The bench's own throwaway database on a real PostgreSQL: created, migrated, seeded, dropped
 * at the end. The server is the one the tests use unless BENCH_DATABASE_URL names another
 * (its maintenance database, as TEST_DATABASE_URL does).
 */
export const adminUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export function urlFor(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export const BENCH_PASSWORD = 'bench-password-2026';
export const POOL_SITE_SPACES = 200;

export interface Seeded {
  /** The station garage of the 7:00 rush: few boxes, many commuters. */
  rushSiteId: string;
  rushSpaceIds: string[];
  /** Garages whose availability is browsed (a typical garage: 40 boxes). */
  browseSiteIds: string[];
  /** Plenty of spaces, so that booking throughput measures booking, not conflicts. */
  /** Garages whose boxes have (simulated) locks, for the journey's unlock. */
  journeySiteIds: string[];
  poolSiteIds: string[];
  poolSpaceIds: string[];
  accounts: { id: string; email: string; token: string }[];
}

export interface BenchDatabase {
  name: string;
  url: string;
  handle: DatabaseHandle;
  /** PostgreSQL backend pids currently connected to the bench database. */
  backendPids(): Promise<number[]>;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** `migrate: false` leaves the migrations to the API process (a comparison against an older checkout). */
export async function createBenchDatabase(options: { migrate?: boolean } = {}): Promise<BenchDatabase> {
  const name = `swf_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.unsafe(`create database ${name}`));
  const url = urlFor(name);
  const handle = await connectDatabase({ databaseUrl: url, poolSize: 20 });
  if (options.migrate ?? true) await migrateToLatest(handle.db);
  return {
    name,
    url,
    handle,
    async backendPids() {
      const result = await sql<{
        pid: number;
      }>`select pid from pg_stat_activity where datname = ${name}`.execute(handle.db);
      return result.rows.map((r) => r.pid);
    },
    async drop() {
      await handle.close();
      await withAdmin((admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * Sites, spaces and accounts in bulk SQL (superuser: row-level security does not apply to
 * seeding). Accounts share one password hash: hashing thousands of passwords would take
 * minutes and measure nothing. Tokens are signed here with the API's secret.
 */
export async function seedBench(
  db: DatabaseHandle['db'],
  options: { jwtSecret: string; accounts: number; rushBoxes: number },
): Promise<Seeded> {
  const site = async (
    tenant: string,
    name: string,
    spaces: number,
    lat: number,
    lon: number,
    locks = false,
  ) => {
    const row = await sql<{ id: string }>`
      insert into site (tenant_id, name, lat, lon, opening_hours) values (${tenant}, ${name}, ${lat}, ${lon}, '24/7')
      returning id`.execute(db);
    const siteId = row.rows[0]!.id;
    // Locks only where the journey opens boxes: every lock is a simulated MQTT client.
    const prefix = locks ? `bench-${siteId.slice(0, 8)}-` : null;
    if (prefix) {
      await sql`
        insert into device (tenant_id, id, kind) select ${tenant}, ${prefix} || n, 'lock' from generate_series(1, ${spaces}) n
      `.execute(db);
    }
    const ids = await sql<{ id: string }>`
      insert into space (tenant_id, site_id, label, type, lock_device_id)
      select ${tenant}, ${siteId}, 'B' || lpad(n::text, 3, '0'), 'STANDARD', ${prefix}::text || n
      from generate_series(1, ${spaces}) n
      returning id`.execute(db);
    return { siteId, spaceIds: ids.rows.map((r) => r.id) };
  };
  const rush = await site('soest', 'Bahnhof Soest (Rush)', options.rushBoxes, 51.5716, 8.1057);
  const browse = [];
  for (let i = 0; i < 5; i++)
    browse.push(await site('arnsberg', `Garage Arnsberg ${i + 1}`, 40, 51.39 + i / 100, 8.06));
  const pool = [];
  for (let i = 0; i < 5; i++)
    pool.push(await site('olpe', `Pool Olpe ${i + 1}`, POOL_SITE_SPACES, 51.02 + i / 100, 7.84));
  const journey = [];
  for (let i = 0; i < 2; i++)
    journey.push(await site('menden', `Bahnhof Menden ${i + 1}`, 60, 51.44 + i / 100, 7.8, true));
  await provisionDeviceSecrets(db);

  const hash = await hashSecret(BENCH_PASSWORD);
  const accounts = await sql<{ id: string; email: string }>`
    insert into account (email, password_hash, name)
    select 'bench-' || n || '@example.org', ${hash}, 'Bench ' || n from generate_series(1, ${options.accounts}) n
    returning id, email`.execute(db);
  const tokens = new AccessTokens(options.jwtSecret, 24 * 60);
  const withTokens = await Promise.all(
    accounts.rows.map(async (a) => ({
      ...a,
      token: await tokens.issue({ role: 'commuter', accountId: a.id, tenantId: null }),
    })),
  );
  await sql`analyze`.execute(db);
  return {
    rushSiteId: rush.siteId,
    rushSpaceIds: rush.spaceIds,
    browseSiteIds: browse.map((b) => b.siteId),
    journeySiteIds: journey.map((j) => j.siteId),
    poolSiteIds: pool.map((p) => p.siteId),
    poolSpaceIds: pool.flatMap((p) => p.spaceIds),
    accounts: withTokens,
  };
}

/** Pairs of live bookings of one space whose periods overlap: must always be 0. */
export async function countOverlaps(db: DatabaseHandle['db']): Promise<number> {
  const result = await sql<{ n: string }>`
    select count(*) as n from booking a join booking b
      on a.space_id = b.space_id and a.id < b.id and a.period && b.period
    where a.status in ('held', 'confirmed', 'active') and b.status in ('held', 'confirmed', 'active')`.execute(
    db,
  );
  return Number(result.rows[0]!.n);
}

export async function countBookings(db: DatabaseHandle['db']): Promise<Record<string, number>> {
  const result = await sql<{ status: string; n: string }>`
    select status, count(*) as n from booking group by status order by status`.execute(db);
  return Object.fromEntries(result.rows.map((r) => [r.status, Number(r.n)]));
}
