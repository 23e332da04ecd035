import { type Kysely, sql } from 'kysely';

/**
 * Availability in one statement, and a consistency check for load tests.
 *
 * free_spaces answers "which boxes of this garage are free for [from, to)" with nothing but
 * public data (the spaces of an open garage, never who booked), so it runs as
 * swf_availability like busy_space_ids and needs no transaction or actor: one round trip
 * instead of six (BEGIN, settings, site, spaces, busy ids, COMMIT). It raises no_data_found
 * (P0002) for a garage that does not exist or is retired, so that "not found" and "all
 * taken" stay distinct.
 *
 * booking_overlap_pairs counts pairs of live bookings of one space with overlapping periods.
 * The exclusion constraint makes it 0; load tests ask after every run (staff only, GraphQL
 * bookingOverlaps), so that a dropped or weakened constraint would show.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function free_spaces(p_site_id uuid, p_from timestamptz, p_to timestamptz, p_now timestamptz, p_type text)
      returns table (id uuid, tenant_id text, site_id uuid, label text, type text)
      language plpgsql stable security definer set search_path = public as $$
    begin
      if not exists (select from site s where s.id = p_site_id and s.retired_at is null) then
        raise exception 'site not found' using errcode = 'P0002';
      end if;
      return query
        select sp.id, sp.tenant_id, sp.site_id, sp.label, sp.type
        from space sp
        where sp.site_id = p_site_id and sp.retired_at is null and (p_type is null or sp.type = p_type)
          and not exists (
            select from booking b
            where b.space_id = sp.id
              and b.period && tstzrange(p_from, p_to, '[)')
              and b.status in ('held', 'confirmed', 'active')
              and not (b.status = 'held' and b.hold_expires_at <= p_now))
        order by sp.label;
    end $$;
    alter function free_spaces(uuid, timestamptz, timestamptz, timestamptz, text) owner to swf_availability;

    create function booking_overlap_pairs() returns bigint
      language sql stable security definer set search_path = public as $$
        select count(*) from booking a
        join booking b on b.space_id = a.space_id and a.id < b.id and a.period && b.period
        where a.status in ('held', 'confirmed', 'active') and b.status in ('held', 'confirmed', 'active')
      $$;
    alter function booking_overlap_pairs() owner to swf_availability;
  `.execute(db);

  // What the functions read, and no more: open sites and spaces (public anyway), booking ids
  // for the pair count. Row-level security applies to swf_availability too (FORCE), hence the policies.
  await sql`
    grant select (id, retired_at) on site to swf_availability;
    grant select (id, tenant_id, site_id, label, type, retired_at) on space to swf_availability;
    grant select (id) on booking to swf_availability;
    create policy site_availability on site for select to swf_availability using (retired_at is null);
    create policy space_availability on space for select to swf_availability using (retired_at is null);
    grant execute on function free_spaces(uuid, timestamptz, timestamptz, timestamptz, text) to swf_app;
    grant execute on function booking_overlap_pairs() to swf_app;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
