import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { bookingRepository } from './booking.repository.ts';

export interface SweepResult {
  expired: number;
  activated: number;
  completed: number;
}

/**
 * Moves bookings along with time: unpaid holds expire, confirmed bookings become active at
 * their start and completed at their end. Idempotent, so several API copies may run it.
 */
export async function sweepBookings(db: Db, clock: Clock): Promise<SweepResult> {
  const now = clock.now();
  return withActor(db, systemActor, async (tx) => ({
    expired: await bookingRepository.expireStaleHolds(tx, now),
    activated: await bookingRepository.activateStarted(tx, now),
    completed: await bookingRepository.completeEnded(tx, now),
  }));
}
