import { sql } from 'kysely';
import type { BookingRow, TenantRow, Tx } from '../core/db/database.ts';
import { FINAL_MARKER, PIPELINED_MARKER } from '../core/db/pipeline.ts';
import { type Tenant, tenantRowToTenant } from '../core/tenant.ts';
import { bookingRowToBooking } from './booking.repository.ts';
import type { Booking } from './booking.ts';
import type { IdempotencyRecord } from './idempotency.repository.ts';

/**
 * createBooking's one statement. Booking is the hottest write of the platform, and each
 * statement costs a round trip plus query building and parsing on both sides, so what used to
 * be seven statements (replay lookup, space, tenant, key claim, insert, key attach, and a
 * separate transaction expiring stale holds), then two, is one (BENCHMARKS.md has the figures).
 */
export interface CreationContext {
  space: { id: string; tenantId: string; siteId: string; retiredAt: Date | null };
  tenant: Tenant;
  /** The idempotency key of this account and operation, when it was used before. */
  existingKey: IdempotencyRecord | undefined;
}

export interface HeldBookingRequest {
  id: string;
  spaceId: string;
  accountId: string;
  from: Date;
  to: Date;
  pinHash: string;
  /** The hold runs from here for the town's hold time. */
  now: Date;
}

export interface CreationAttempt {
  /** Undefined when the space is not visible to the actor (or does not exist). */
  context: CreationContext | undefined;
  /** The held booking; undefined when nothing was inserted (see `insertHeldClaimingKey`). */
  booking: Booking | undefined;
}

type AttemptRow = BookingRow & {
  ctx_space_id: string;
  ctx_tenant_id: string;
  ctx_site_id: string;
  ctx_retired_at: Date | null;
  tenant_row: TenantRow;
  key_request_hash: string | null;
  key_booking_id: string | null;
};

export const bookingCreationRepository = {
  /**
   * Reads the space, its town's rules and an earlier use of the key, and in the same
   * statement claims the key and inserts the held booking — only when the key was unused,
   * the space is not retired and the period fits the town's longest booking (the one rule of
   * validatePeriod that needs the town; when nothing was inserted, the caller checks the
   * period in full to name the rule). The key is claimed first: when a concurrent request
   * committed the same key, the claim does nothing and so does the insert. An overlap with a
   * live booking fails the statement on the exclusion constraint, key claim included.
   *
   * The statement ends its transaction (FINAL_MARKER, db/pipeline.ts): it commits with it.
   *
   * Before it, in the same write, the transaction takes the space's advisory lock: bookings of
   * one space queue one behind the other. Without it, two inserts into a space each checked the
   * exclusion constraint against the other's uncommitted row and waited for each other until
   * PostgreSQL broke the deadlock a second later (deadlock_timeout); at 7:00, with many
   * commuters on the last boxes, these waits piled up into seconds and timeouts (BENCHMARKS.md).
   */
  async insertHeldClaimingKey(
    tx: Tx,
    b: HeldBookingRequest,
    key: { operation: string; key: string; requestHash: string },
  ): Promise<CreationAttempt> {
    await sql`${sql.raw(PIPELINED_MARKER)} select pg_advisory_xact_lock(hashtextextended('booking_space:' || ${b.spaceId}::text, 0))`.execute(
      tx,
    );
    const result = await sql<AttemptRow>`${sql.raw(FINAL_MARKER)}
      with ctx as (
        select space.id as space_id, space.tenant_id, space.site_id, space.retired_at,
               tenant.hold_minutes, tenant.max_booking_days, to_jsonb(tenant) as tenant_row,
               k.request_hash as key_request_hash, k.booking_id as key_booking_id
        from space
        join tenant on tenant.id = space.tenant_id
        left join idempotency_key k
          on k.account_id = ${b.accountId} and k.operation = ${key.operation} and k.key = ${key.key}
        where space.id = ${b.spaceId}
      ), claim as (
        insert into idempotency_key (account_id, operation, key, request_hash, booking_id)
        select ${b.accountId}, ${key.operation}, ${key.key}, ${key.requestHash}, ${b.id}::uuid from ctx
        where ctx.key_request_hash is null and ctx.retired_at is null
          and ${b.to}::timestamptz - ${b.from}::timestamptz <= ctx.max_booking_days * interval '1 day'
        on conflict (account_id, operation, key) do nothing
        returning booking_id
      ), b as (
        insert into booking (id, tenant_id, site_id, space_id, account_id, starts_at, ends_at, status, hold_expires_at, pin_hash)
        select claim.booking_id, ctx.tenant_id, ctx.site_id, ctx.space_id, ${b.accountId}, ${b.from}, ${b.to}, 'held',
               ${b.now}::timestamptz + ctx.hold_minutes * interval '1 minute', ${b.pinHash}
        from ctx, claim
        returning id, tenant_id, site_id, space_id, account_id, starts_at, ends_at, period, status,
                  hold_expires_at, pin_hash, created_at, updated_at
      )
      select ctx.space_id as ctx_space_id, ctx.tenant_id as ctx_tenant_id, ctx.site_id as ctx_site_id,
             ctx.retired_at as ctx_retired_at, ctx.tenant_row, ctx.key_request_hash, ctx.key_booking_id, b.*
      from ctx left join b on true`.execute(tx);
    const row = result.rows[0];
    if (!row) return { context: undefined, booking: undefined };
    return {
      context: {
        space: {
          id: row.ctx_space_id,
          tenantId: row.ctx_tenant_id,
          siteId: row.ctx_site_id,
          retiredAt: row.ctx_retired_at,
        },
        // jsonb carries only numbers and strings here; the tenant's created_at is not used.
        tenant: tenantRowToTenant(row.tenant_row),
        existingKey: row.key_request_hash
          ? { requestHash: row.key_request_hash, bookingId: row.key_booking_id }
          : undefined,
      },
      booking: row.id ? bookingRowToBooking(row) : undefined,
    };
  },
};
