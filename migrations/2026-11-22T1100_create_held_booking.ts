import { type Kysely, sql } from 'kysely';

/**
 * createBooking as one statement outside any explicit transaction: the function takes the
 * commuter's identity, the space's lock, and claims the idempotency key and inserts the held
 * booking, all in the statement's own (implicit) transaction.
 *
 * Before, the same work was a transaction of five statements (begin, the actor's settings, the
 * advisory lock, the insert, commit). Even sent in one write, PostgreSQL spent twice the CPU of
 * the single statement on it, and the API most of its database time (BENCHMARKS.md, "GraphQL
 * overhead"): booking is the platform's hottest write.
 *
 * The function is SECURITY INVOKER on purpose: it switches to swf_app before its first query,
 * so row-level security decides what it reads and writes exactly as in any request's
 * transaction (tenancy.ts). PL/pgSQL plans each query when it first runs, as swf_app, and
 * re-plans when the role differs, so a plan made without row-level security is never used.
 * (An SQL-language function would not do: it analyses its whole body before running any of it,
 * i.e. as the calling superuser.)
 *
 * The advisory lock queues bookings of one space one behind the other: without it, two inserts
 * into one space each checked the exclusion constraint against the other's uncommitted row and
 * waited for each other until PostgreSQL broke the deadlock a second later.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function create_held_booking(
      p_account_id uuid, p_space_id uuid, p_from timestamptz, p_to timestamptz, p_booking_id uuid,
      p_operation text, p_key text, p_request_hash text, p_pin_hash text, p_now timestamptz)
      returns table (
        ctx_space_id uuid, ctx_tenant_id text, ctx_site_id uuid, ctx_retired_at timestamptz,
        tenant_row jsonb, key_request_hash text, key_booking_id uuid,
        id uuid, tenant_id text, site_id uuid, space_id uuid, account_id uuid,
        starts_at timestamptz, ends_at timestamptz, period tstzrange, status text,
        hold_expires_at timestamptz, pin_hash text, created_at timestamptz, updated_at timestamptz)
      language plpgsql volatile security invoker set search_path = public as $$
    #variable_conflict use_column
    begin
      perform set_config('role', 'swf_app', true), set_config('app.role', 'commuter', true),
              set_config('app.account_id', p_account_id::text, true), set_config('app.tenant_id', '', true);
      perform pg_advisory_xact_lock(hashtextextended('booking_space:' || p_space_id::text, 0));
      -- The key is claimed before the insert: when a concurrent request committed the same key,
      -- the claim does nothing and so does the insert.
      return query
        with ctx as (
          select space.id as space_id, space.tenant_id, space.site_id, space.retired_at,
                 tenant.hold_minutes, tenant.max_booking_days, to_jsonb(tenant) as tenant_row,
                 k.request_hash as key_request_hash, k.booking_id as key_booking_id
          from space
          join tenant on tenant.id = space.tenant_id
          left join idempotency_key k
            on k.account_id = p_account_id and k.operation = p_operation and k.key = p_key
          where space.id = p_space_id
        ), claim as (
          insert into idempotency_key (account_id, operation, key, request_hash, booking_id)
          select p_account_id, p_operation, p_key, p_request_hash, p_booking_id from ctx
          where ctx.key_request_hash is null and ctx.retired_at is null
            and p_to - p_from <= ctx.max_booking_days * interval '1 day'
          on conflict (account_id, operation, key) do nothing
          returning booking_id
        ), b as (
          insert into booking (id, tenant_id, site_id, space_id, account_id, starts_at, ends_at, status, hold_expires_at, pin_hash)
          select claim.booking_id, ctx.tenant_id, ctx.site_id, ctx.space_id, p_account_id, p_from, p_to, 'held',
                 p_now + ctx.hold_minutes * interval '1 minute', p_pin_hash
          from ctx, claim
          returning booking.id, booking.tenant_id, booking.site_id, booking.space_id, booking.account_id,
                    booking.starts_at, booking.ends_at, booking.period, booking.status,
                    booking.hold_expires_at, booking.pin_hash, booking.created_at, booking.updated_at
        )
        select ctx.space_id, ctx.tenant_id, ctx.site_id, ctx.retired_at, ctx.tenant_row,
               ctx.key_request_hash, ctx.key_booking_id, b.*
        from ctx left join b on true;
    end $$;
    revoke execute on function create_held_booking from public;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
