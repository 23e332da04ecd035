import { sql } from 'kysely';
import type { BookingRow, TenantRow, Tx } from '../core/db/database.ts';
import { type Tenant, tenantRowToTenant } from '../core/tenant.ts';
import { bookingRowToBooking, type NewHeldBooking } from './booking.repository.ts';
import type { Booking } from './booking.ts';
import type { IdempotencyRecord } from './idempotency.repository.ts';
import { spaceRowToSpace } from './space.repository.ts';
import type { Space } from './space.ts';

/**
 * The two statements of createBooking. Booking is the hottest write of the platform, and
 * each statement costs a round trip plus query building and parsing on both sides, so what
 * used to be seven statements (replay lookup, space, tenant, key claim, insert, key attach,
 * and a separate transaction expiring stale holds) is two (BENCHMARKS.md has the figures).
 */
export interface CreationContext {
  space: Space;
  tenant: Tenant;
  /** The idempotency key of this account and operation, when it was used before. */
  existingKey: IdempotencyRecord | undefined;
}

export const bookingCreationRepository = {
  /** Space, its town's rules and an earlier use of the key, in one query; undefined when the space is not visible. */
  async context(
    tx: Tx,
    spaceId: string,
    key: { accountId: string; operation: string; key: string },
  ): Promise<CreationContext | undefined> {
    const row = await tx
      .selectFrom('space')
      .innerJoin('tenant', 'tenant.id', 'space.tenant_id')
      .leftJoin('idempotency_key as k', (join) =>
        join
          .on('k.account_id', '=', key.accountId)
          .on('k.operation', '=', key.operation)
          .on('k.key', '=', key.key),
      )
      .selectAll('space')
      .select(sql<TenantRow>`to_jsonb(tenant)`.as('tenant_row'))
      .select(['k.request_hash as key_request_hash', 'k.booking_id as key_booking_id'])
      .where('space.id', '=', spaceId)
      .executeTakeFirst();
    if (!row) return undefined;
    const { tenant_row, key_request_hash, key_booking_id, ...space } = row;
    return {
      space: spaceRowToSpace(space),
      // jsonb carries only numbers and strings here; the tenant's created_at is not used.
      tenant: tenantRowToTenant(tenant_row),
      existingKey: key_request_hash
        ? { requestHash: key_request_hash, bookingId: key_booking_id }
        : undefined,
    };
  },

  /**
   * Inserts the held booking and claims the idempotency key with it in one statement.
   * Undefined when a concurrent request committed the same key first: the caller must roll
   * back (the booking row is in this transaction) and answer as a replay.
   */
  async insertHeldClaimingKey(
    tx: Tx,
    b: NewHeldBooking,
    key: { operation: string; key: string; requestHash: string },
  ): Promise<Booking | undefined> {
    const result = await sql<BookingRow & { claimed: boolean }>`
      with b as (
        insert into booking (id, tenant_id, site_id, space_id, account_id, starts_at, ends_at, status, hold_expires_at, pin_hash)
        values (${b.id}, ${b.tenantId}, ${b.siteId}, ${b.spaceId}, ${b.accountId}, ${b.from}, ${b.to}, 'held',
                ${b.holdExpiresAt}, ${b.pinHash})
        returning id, tenant_id, site_id, space_id, account_id, starts_at, ends_at, period, status,
                  hold_expires_at, pin_hash, created_at, updated_at
      ), k as (
        insert into idempotency_key (account_id, operation, key, request_hash, booking_id)
        select account_id, ${key.operation}, ${key.key}, ${key.requestHash}, id from b
        on conflict (account_id, operation, key) do nothing
        returning booking_id
      )
      select b.*, exists (select from k) as claimed from b`.execute(tx);
    const row = result.rows[0];
    if (!row?.claimed) return undefined;
    return bookingRowToBooking(row);
  },
};
