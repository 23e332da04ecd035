import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import type { LockCommandStatus } from '../devices/lock-command.ts';
import { reservationRepository } from './reservation.repository.ts';
import { tripRepository } from './trip.repository.ts';
import { settleStartingTrip } from './trip.service.ts';

/**
 * A trip still `starting` this long after it was requested lost its API process mid-wait;
 * its unlock command expired long ago (LOCK_COMMAND_TIMEOUT_MS is at most 60 s), so the
 * vehicle cannot open any more and the trip is marked failed.
 */
export const STARTING_TRIP_TIMEOUT_MINUTES = 5;

export interface StationSweepResult {
  settled: number;
  noShows: number;
}

/**
 * Moves shared-vehicle records along with time: trips left `starting` by a crash are settled
 * from their command's answer, and reservations nobody started become no_show, freeing the
 * vehicle. Idempotent, so several API copies may run it.
 */
export async function sweepStations(db: Db, clock: Clock): Promise<StationSweepResult> {
  const now = clock.now();
  return withActor(db, systemActor, async (tx) => {
    let settled = 0;
    for (const { trip, commandStatus } of await tripRepository.listStarting(tx)) {
      const giveUp = now.getTime() - trip.requestedAt.getTime() > STARTING_TRIP_TIMEOUT_MINUTES * 60_000;
      const after = await settleStartingTrip(
        tx,
        trip.id,
        commandStatus as LockCommandStatus | null,
        now,
        giveUp,
      );
      if (after && after.status !== 'starting') settled++;
    }
    return { settled, noShows: await reservationRepository.markNoShows(tx, now) };
  });
}
