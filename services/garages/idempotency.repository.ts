import type { Tx } from '../core/db/database.ts';

export interface IdempotencyRecord {
  requestHash: string;
  bookingId: string | null;
}

/**
 * Idempotency keys per account and operation. `claim` inserts the key; a concurrent claim
 * of the same key waits on the primary key until the first transaction ends, then sees it.
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

  /** True when this call owns the key now; false when someone else holds it already. */
  async claim(
    tx: Tx,
    accountId: string,
    operation: string,
    key: string,
    requestHash: string,
  ): Promise<boolean> {
    const row = await tx
      .insertInto('idempotency_key')
      .values({ account_id: accountId, operation, key, request_hash: requestHash })
      .onConflict((oc) => oc.columns(['account_id', 'operation', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  },

  async attachBooking(
    tx: Tx,
    accountId: string,
    operation: string,
    key: string,
    bookingId: string,
  ): Promise<void> {
    await tx
      .updateTable('idempotency_key')
      .set({ booking_id: bookingId })
      .where('account_id', '=', accountId)
      .where('operation', '=', operation)
      .where('key', '=', key)
      .execute();
  },
};
