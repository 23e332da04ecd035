import { type Kysely, sql } from 'kysely';

/**
 * free_spaces looks up the bookings of each of the garage's spaces, through an index of live
 * bookings by space, instead of every booking anywhere that overlaps the window.
 *
 * Its NOT EXISTS let the planner choose a hash anti join fed by the exclusion constraint's
 * GiST index on the period alone: every live booking of the region in the window, thousands at
 * the morning hours once a town books busily, for a garage of forty boxes. With statistics
 * that lagged behind (bookings arrive faster than autovacuum analyses) the planner expected a
 * handful, and PostgreSQL spent 5–7 ms per availability answer (BENCHMARKS.md, "mixed").
 * The lateral lookup with LIMIT 1 is one index probe per space whatever the statistics say, and
 * the partial index holds only live bookings, so the history of finished ones never counts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index booking_live_by_space_idx on booking (space_id, starts_at)
      include (ends_at, status, hold_expires_at)
      where status in ('held', 'confirmed', 'active');

    grant select (starts_at, ends_at) on booking to swf_availability;

    create or replace function free_spaces(p_site_id uuid, p_from timestamptz, p_to timestamptz, p_now timestamptz, p_type text)
      returns table (id uuid, tenant_id text, site_id uuid, label text, type text)
      language plpgsql stable security definer set search_path = public as $$
    begin
      if not exists (select from site s where s.id = p_site_id and s.retired_at is null) then
        raise exception 'site not found' using errcode = 'P0002';
      end if;
      return query
        select sp.id, sp.tenant_id, sp.site_id, sp.label, sp.type
        from space sp
        left join lateral (
          -- [starts_at, ends_at) overlaps [p_from, p_to)
          select true as taken from booking b
          where b.space_id = sp.id
            and b.status in ('held', 'confirmed', 'active')
            and b.starts_at < p_to and b.ends_at > p_from
            and not (b.status = 'held' and b.hold_expires_at <= p_now)
          limit 1
        ) busy on true
        where sp.site_id = p_site_id and sp.retired_at is null and (p_type is null or sp.type = p_type)
          and busy.taken is null
        order by sp.label;
    end $$;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
