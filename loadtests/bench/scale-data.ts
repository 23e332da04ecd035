import { sql } from 'kysely';
import type { Db } from '../../services/core/db/database.ts';

/**
 * The region at full size, generated in SQL (generate_series, one statement per table, no
 * row-by-row inserts): 5 towns × 50 garages × 200 boxes and as many historical bookings as
 * asked, spread over the last two years across every box and 20,000 commuters. Triggers are
 * off for the session (session_replication_role = replica): history needs no booking events
 * or notifications, and every foreign key holds by construction.
 */
export const SCALE = {
  towns: ['arnsberg', 'bad-berleburg', 'menden', 'olpe', 'soest'],
  sitesPerTown: 50,
  spacesPerSite: 200,
  commuters: 20_000,
};

/** Live bookings in the future, the same number at every size: what availability must check. */
export const LIVE_BOOKINGS = 5_000;

export async function generateRegion(db: Db): Promise<{ sites: number; spaces: number; accounts: number }> {
  await db.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    await sql`
      insert into site (tenant_id, name, lat, lon, opening_hours)
      select t.tenant, 'Garage ' || t.tenant || ' ' || s, 51.0 + t.n * 0.1 + s * 0.001, 7.8 + s * 0.001, '24/7'
      from unnest(${SCALE.towns}::text[]) with ordinality as t(tenant, n), generate_series(1, ${SCALE.sitesPerTown}) s`.execute(
      conn,
    );
    await sql`
      insert into space (tenant_id, site_id, label, type)
      select site.tenant_id, site.id, 'B' || lpad(n::text, 3, '0'),
             (array['STANDARD', 'STANDARD', 'STANDARD', 'E_BIKE_CHARGING', 'CARGO'])[1 + n % 5]
      from site, generate_series(1, ${SCALE.spacesPerSite}) n`.execute(conn);
    await sql`
      insert into account (email, password_hash, name)
      select 'scale-' || n || '@example.org', 'not-a-hash', 'Scale ' || n from generate_series(1, ${SCALE.commuters}) n`.execute(
      conn,
    );
    await sql`set session_replication_role = origin`.execute(conn);
  });
  const count = async (table: 'site' | 'space' | 'account') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);
  return { sites: await count('site'), spaces: await count('space'), accounts: await count('account') };
}

/**
 * Adds `count` historical bookings (ended before now: completed, cancelled, no-show or
 * expired), numbered on from `offset` so that growing from 10 thousand to 2 million adds rows
 * rather than starting again. Booking n takes box n mod spaces, a one- to three-hour slot on
 * day n / spaces counted back from yesterday, and commuter n mod commuters.
 */
export async function addHistoricalBookings(db: Db, offset: number, count: number): Promise<void> {
  await db.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    await sql`
      with spaces as (select id, tenant_id, site_id, row_number() over (order by id) - 1 as i from space),
           total as (select count(*) as n from spaces),
           accounts as (select id, row_number() over (order by id) - 1 as i from account where email like 'scale-%'),
           commuters as (select count(*) as n from accounts)
      insert into booking (tenant_id, site_id, space_id, account_id, starts_at, ends_at, status, created_at, updated_at)
      select sp.tenant_id, sp.site_id, sp.id, a.id,
             b.starts_at, b.starts_at + (1 + g % 3) * interval '1 hour',
             (array['completed', 'completed', 'completed', 'cancelled', 'no_show', 'expired'])[1 + g % 6],
             b.starts_at - interval '2 days', b.starts_at
      from generate_series(${offset}::bigint, ${offset + count - 1}::bigint) g
      cross join total cross join commuters
      join spaces sp on sp.i = g % total.n
      join accounts a on a.i = g % commuters.n
      cross join lateral (
        select date_trunc('hour', now()) - interval '1 day' - ((g / total.n) % 700) * interval '1 day'
               + ((g / total.n / 700) % 8) * interval '3 hours' as starts_at) b`.execute(conn);
    await sql`set session_replication_role = origin`.execute(conn);
  });
  await sql`analyze booking`.execute(db);
}

/** Live (confirmed) bookings in the coming weeks, for availability to check against. */
export async function addLiveBookings(db: Db, count: number): Promise<void> {
  await db.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    await sql`
      with spaces as (select id, tenant_id, site_id, row_number() over (order by id) - 1 as i from space),
           total as (select count(*) as n from spaces),
           accounts as (select id, row_number() over (order by id) - 1 as i from account where email like 'scale-%'),
           commuters as (select count(*) as n from accounts)
      insert into booking (tenant_id, site_id, space_id, account_id, starts_at, ends_at, status)
      select sp.tenant_id, sp.site_id, sp.id, a.id,
             date_trunc('hour', now()) + interval '1 day' + (g / total.n) * interval '1 day' + interval '6 hours',
             date_trunc('hour', now()) + interval '1 day' + (g / total.n) * interval '1 day' + interval '9 hours',
             'confirmed'
      from generate_series(0, ${count - 1}) g
      cross join total cross join commuters
      join spaces sp on sp.i = (g * 7919) % total.n
      join accounts a on a.i = g % commuters.n`.execute(conn);
    await sql`set session_replication_role = origin`.execute(conn);
  });
}
