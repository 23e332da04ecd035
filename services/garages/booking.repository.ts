import type { BookingRow, Tx } from '../core/db/database.ts';
import type { Booking, BookingStatus } from './booking.ts';
import { ownRecordsPage, townRecordsPage } from './record-pages.ts';

export function bookingRowToBooking(row: BookingRow): Booking {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    siteId: row.site_id,
    spaceId: row.space_id,
    accountId: row.account_id,
    from: row.starts_at,
    to: row.ends_at,
    status: row.status as BookingStatus,
    holdExpiresAt: row.hold_expires_at,
    createdAt: row.created_at,
  };
}

export interface NewHeldBooking {
  id: string;
  tenantId: string;
  siteId: string;
  spaceId: string;
  accountId: string;
  from: Date;
  to: Date;
  holdExpiresAt: Date;
  pinHash: string;
}

const bookingColumns = [
  'id',
  'tenant_id',
  'site_id',
  'space_id',
  'account_id',
  'starts_at',
  'ends_at',
  'status',
  'hold_expires_at',
  'pin_hash',
  'created_at',
  'updated_at',
] as const;

export const bookingRepository = {
  async findById(tx: Tx, id: string): Promise<Booking | undefined> {
    const row = await tx.selectFrom('booking').select(bookingColumns).where('id', '=', id).executeTakeFirst();
    return row && bookingRowToBooking(row as BookingRow);
  },

  /** Locks the row: status changes read and write under the lock so two changes cannot interleave. */
  async findByIdForUpdate(tx: Tx, id: string): Promise<Booking | undefined> {
    const row = await tx
      .selectFrom('booking')
      .select(bookingColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row && bookingRowToBooking(row as BookingRow);
  },

  async insertHeld(tx: Tx, b: NewHeldBooking): Promise<Booking> {
    const row = await tx
      .insertInto('booking')
      .values({
        id: b.id,
        tenant_id: b.tenantId,
        site_id: b.siteId,
        space_id: b.spaceId,
        account_id: b.accountId,
        starts_at: b.from,
        ends_at: b.to,
        status: 'held',
        hold_expires_at: b.holdExpiresAt,
        pin_hash: b.pinHash,
      })
      .returning(bookingColumns)
      .executeTakeFirstOrThrow();
    return bookingRowToBooking(row as BookingRow);
  },

  async setStatus(tx: Tx, id: string, status: BookingStatus): Promise<Booking> {
    const row = await tx
      .updateTable('booking')
      .set({ status, ...(status !== 'held' && { hold_expires_at: null }) })
      .where('id', '=', id)
      .returning(bookingColumns)
      .executeTakeFirstOrThrow();
    return bookingRowToBooking(row as BookingRow);
  },

  /** Newest first, with a stable order for paging. */
  async listByAccount(
    tx: Tx,
    accountId: string,
    page: { limit: number; offset: number },
  ): Promise<Booking[]> {
    const rows = await tx
      .selectFrom('booking')
      .select(bookingColumns)
      .$call((q) => ownRecordsPage(q, accountId, 'starts_at', page))
      .execute();
    return rows.map((r) => bookingRowToBooking(r as BookingRow));
  },

  async listByTenant(
    tx: Tx,
    tenantId: string,
    from: Date,
    to: Date,
    page: { limit: number; offset: number },
  ) {
    const rows = await tx
      .selectFrom('booking')
      .select(bookingColumns)
      .$call((q) => townRecordsPage(q, tenantId, { from, to, by: 'starts_at' }, page))
      .execute();
    return rows.map((r) => bookingRowToBooking(r as BookingRow));
  },

  /** Live bookings of a space whose access window (period ± grace) contains `at`, with their PIN hashes. */
  async findAccessCandidates(tx: Tx, spaceId: string, at: Date, graceMinutes: number) {
    const graceMs = graceMinutes * 60_000;
    const rows = await tx
      .selectFrom('booking')
      .select(bookingColumns)
      .where('space_id', '=', spaceId)
      .where('status', 'in', ['confirmed', 'active'])
      .where('starts_at', '<=', new Date(at.getTime() + graceMs))
      .where('ends_at', '>=', new Date(at.getTime() - graceMs))
      .execute();
    return rows.map((r) => ({ booking: bookingRowToBooking(r as BookingRow), pinHash: r.pin_hash }));
  },

  /** Expired holds of one space or of all spaces; returns how many were expired. */
  async expireStaleHolds(tx: Tx, now: Date, spaceId?: string): Promise<number> {
    let query = tx
      .updateTable('booking')
      .set({ status: 'expired', hold_expires_at: null })
      .where('status', '=', 'held')
      .where('hold_expires_at', '<=', now);
    if (spaceId) query = query.where('space_id', '=', spaceId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  async activateStarted(tx: Tx, now: Date): Promise<number> {
    const result = await tx
      .updateTable('booking')
      .set({ status: 'active' })
      .where('status', '=', 'confirmed')
      .where('starts_at', '<=', now)
      .where('ends_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  async completeEnded(tx: Tx, now: Date): Promise<number> {
    const result = await tx
      .updateTable('booking')
      .set({ status: 'completed' })
      .where('status', 'in', ['confirmed', 'active'])
      .where('ends_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
};
