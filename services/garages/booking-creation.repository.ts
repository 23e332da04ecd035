import { sql } from 'kysely';
import type { BookingRow, Db, TenantRow } from '../core/db/database.ts';
import { STANDALONE_MARKER } from '../core/db/statement-batch.ts';
import { type Tenant, tenantRowToTenant } from '../core/tenant.ts';
import { bookingRowToBooking } from './booking.repository.ts';
import type { Booking } from './booking.ts';
import type { IdempotencyRecord } from './idempotency.repository.ts';

/**
 * createBooking's one statement. Booking is the hottest write of the platform, and each
 * statement costs a round trip plus query building and parsing on both sides, so what used to
 * be seven statements (replay lookup, space, tenant, key claim, insert, key attach, and a
 * separate transaction expiring stale holds), then two, then one inside a transaction of five,
 * is one statement alone (BENCHMARKS.md has the figures).
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
   * period in full to name the rule). An overlap with a live booking fails the statement on
   * the exclusion constraint, key claim included.
   *
   * One statement on its own, not inside a transaction of ours: create_held_booking (migration
   * 2026-11-22T1100) acts as the commuter under row-level security, takes the space's lock, and
   * commits with the statement. So whatever it inserted is final. Marked standalone, it goes
   * out together with the other bookings of the same turn (statement-batch.ts).
   */
  async insertHeldClaimingKey(
    db: Db,
    b: HeldBookingRequest,
    key: { operation: string; key: string; requestHash: string },
  ): Promise<CreationAttempt> {
    const result = await sql<AttemptRow>`${sql.raw(STANDALONE_MARKER)}
      select * from create_held_booking(${b.accountId}, ${b.spaceId}, ${b.from}, ${b.to}, ${b.id},
        ${key.operation}, ${key.key}, ${key.requestHash}, ${b.pinHash}, ${b.now})`.execute(db);
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
