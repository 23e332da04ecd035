import type { Tx } from '../core/db/database.ts';

export interface IdempotencyRecord {
  requestHash: string;
  bookingId: string | null;
}

/**
 * Idempotency keys per account and operation. create_held_booking (migration 2026-11-22T1100)
 * claims them; here they are read back for a replay.
 */
export const idempotencyRepository = {
  async find(
    tx: Tx,
    accountId: string,
    operation: string,
    key: string,
  ): Promise<IdempotencyRecord | undefined> {
    const row = await tx
      .selectFrom('idempotency_key')
      .select(['request_hash', 'booking_id'])
      .where('account_id', '=', accountId)
      .where('operation', '=', operation)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { requestHash: row.request_hash, bookingId: row.booking_id };
  },
};
