import { sql } from 'kysely';
import type { Tx } from '../core/db/database.ts';

export const bookingIntegrityRepository = {
  /**
   * Pairs of live bookings of one space with overlapping periods, in every town: the
   * exclusion constraint keeps this at 0. Through booking_overlap_pairs (security definer),
   * which returns a count and nothing about the bookings.
   */
  async overlappingPairs(tx: Tx): Promise<number> {
    const result = await sql<{ pairs: string }>`select booking_overlap_pairs() as pairs`.execute(tx);
    return Number(result.rows[0]!.pairs);
  },
};
