import type { Clock } from '../core/clock.ts';
import type { Db, Tx } from '../core/db/database.ts';
import {
  DeviceUnreachableError,
  ForbiddenError,
  NotAuthenticatedError,
  NotFoundError,
  PgCode,
  pgErrorCode,
  ValidationError,
} from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, withActor } from '../core/tenancy.ts';
import type { CommandResultWaiter } from '../devices/command-result-waiter.ts';
import type { LockCommand, LockCommandStatus } from '../devices/lock-command.ts';
import { isStationFull } from './fleet.service.ts';
import { reservationRepository } from './reservation.repository.ts';
import { requireCommuter } from './reservation.service.ts';
import { RESERVATION_MAX_ADVANCE_DAYS, RESERVATION_MAX_HOURS } from './reservation-period.ts';
import { stationRepository } from './station.repository.ts';
import {
  ReturnNotAllowedError,
  StationFullError,
  TripStateError,
  UnlockFailedError,
  VehicleUnavailableError,
} from './station-errors.ts';
import { tripRepository } from './trip.repository.ts';
import type { Trip } from './trip.ts';
import type { TripPrice, TripPricing } from './trip-pricing.ts';
import { checkLockClosed, checkPosition, tripDistance } from './trip-return.ts';
import { vehicleRepository } from './vehicle.repository.ts';
import { vehicleCommandRepository } from './vehicle-command.repository.ts';
import { vehicleTelemetryRepository } from './vehicle-telemetry.repository.ts';

/** A trip may start this long before the reserved start (the rider is early at the station). */
export const TRIP_START_EARLY_MINUTES = 15;

const minute = 60_000;

/**
 * Moves a `starting` trip on once its unlock command has an answer: acked → the trip is active
 * and the vehicle out of its station; rejected, failed or expired (or `giveUp`) → the trip
 * failed and nothing else changed, so the rider may try again. Used by the trip service right
 * after the answer and by the settling worker after a crash.
 */
export async function settleStartingTrip(
  tx: Tx,
  tripId: string,
  commandStatus: LockCommandStatus | null,
  now: Date,
  giveUp: boolean,
): Promise<Trip | undefined> {
  const trip = await tripRepository.findByIdForUpdate(tx, tripId);
  if (trip?.status !== 'starting') return trip;
  if (commandStatus === 'acked') {
    await vehicleRepository.update(tx, trip.vehicleId, { status: 'in_use', stationId: null });
    await reservationRepository.setStatus(tx, trip.reservationId, 'active');
    return tripRepository.setStatus(tx, trip.id, 'active', now);
  }
  if (giveUp || commandStatus === 'rejected' || commandStatus === 'failed' || commandStatus === 'expired') {
    return tripRepository.setStatus(tx, trip.id, 'failed', now);
  }
  return trip;
}

/**
 * Trips on shared vehicles. Start: only the reserver, only near the reserved start, the unlock
 * goes through the device outbox in the same transaction as the trip. End: only at a station of
 * the town that takes returns and has room (the database's capacity trigger decides races for
 * the last place), with the lock reported closed and the vehicle's last position at the station.
 */
export class TripService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly waiter: CommandResultWaiter,
    private readonly unlockTimeoutMs: number,
    private readonly pricing: TripPricing,
  ) {}

  async start(actor: Actor, reservationId: string): Promise<Trip> {
    requireCommuter(actor);
    if (!isUuid(reservationId)) throw new NotFoundError('Reservation not found');
    const now = this.clock.now();
    let started: { trip: Trip; command: LockCommand };
    try {
      started = await withActor(this.db, actor, async (tx) => {
        const reservation = await reservationRepository.findByIdForUpdate(tx, reservationId);
        if (!reservation) throw new NotFoundError('Reservation not found');
        if (reservation.status !== 'confirmed') {
          throw new TripStateError(`A ${reservation.status} reservation cannot start a trip`);
        }
        const rules = await stationRepository.townRules(tx, reservation.tenantId);
        const opens = reservation.from.getTime() - TRIP_START_EARLY_MINUTES * minute;
        const closes = reservation.from.getTime() + (rules?.noShowGraceMinutes ?? 0) * minute;
        if (now.getTime() < opens || now.getTime() > closes) {
          throw new TripStateError(
            `The vehicle unlocks from ${TRIP_START_EARLY_MINUTES} minutes before your reserved start until ${rules?.noShowGraceMinutes ?? 0} minutes after it / Das Fahrzeug lässt sich nur um die reservierte Startzeit entsperren`,
          );
        }
        const vehicle = await vehicleRepository.findByIdForUpdate(tx, reservation.vehicleId);
        if (vehicle?.status !== 'available' || !vehicle.stationId) {
          throw new VehicleUnavailableError(
            'The vehicle is not at a station / Das Fahrzeug steht nicht an einer Station',
          );
        }
        const trip = await tripRepository.insertStarting(tx, {
          tenantId: vehicle.tenantId,
          reservationId: reservation.id,
          vehicleId: vehicle.id,
          accountId: actor.accountId,
          startStationId: vehicle.stationId,
          requestedAt: now,
        });
        const command = await vehicleCommandRepository.enqueue(tx, {
          tenantId: vehicle.tenantId,
          deviceId: vehicle.deviceId,
          vehicleId: vehicle.id,
          tripId: trip.id,
          action: 'unlock',
          requestedBy: actor.accountId,
          issuedAt: now,
          // Expires when we stop waiting: a lock that answers too late refuses, so a rider told
          // "unreachable" never leaves an open vehicle behind.
          expiresAt: new Date(now.getTime() + this.unlockTimeoutMs),
        });
        return { trip, command };
      });
    } catch (error) {
      if (pgErrorCode(error) === PgCode.uniqueViolation) {
        throw new TripStateError(
          'This vehicle is being unlocked already / Das Fahrzeug wird bereits entsperrt',
        );
      }
      throw error;
    }

    const { trip, command } = started;
    const final = await this.waiter.waitForFinal(command.id, this.unlockTimeoutMs, () =>
      this.commandStatus(actor, command.id),
    );
    const status = final ?? (await this.commandStatus(actor, command.id)) ?? null;
    const settled = await withActor(this.db, actor, async (tx) => {
      const latest = await vehicleCommandRepository.findUnlockForTrip(tx, trip.id);
      return settleStartingTrip(tx, trip.id, latest?.status ?? status, this.clock.now(), true);
    });
    if (settled?.status === 'active') return settled;
    if (status === 'rejected' || status === 'failed') {
      const latest = await withActor(this.db, actor, (tx) =>
        vehicleCommandRepository.findUnlockForTrip(tx, trip.id),
      );
      throw new UnlockFailedError(command.id, latest?.deviceState ?? null);
    }
    throw new DeviceUnreachableError(command.id);
  }

  private async commandStatus(actor: Actor, commandId: string): Promise<LockCommandStatus | undefined> {
    return withActor(this.db, actor, async (tx) => {
      const row = await tx
        .selectFrom('device_command')
        .select('status')
        .where('id', '=', commandId)
        .executeTakeFirst();
      return row?.status;
    });
  }

  async end(actor: Actor, tripId: string, stationId: string): Promise<Trip> {
    requireCommuter(actor);
    if (!isUuid(tripId)) throw new NotFoundError('Trip not found');
    if (!isUuid(stationId)) throw new NotFoundError('Station not found');
    try {
      return await withActor(this.db, actor, (tx) => this.endInTransaction(tx, tripId, stationId));
    } catch (error) {
      if (isStationFull(error)) throw new StationFullError(stationId);
      throw error;
    }
  }

  private async endInTransaction(tx: Tx, tripId: string, stationId: string): Promise<Trip> {
    const now = this.clock.now();
    const trip = await tripRepository.findByIdForUpdate(tx, tripId);
    if (!trip) throw new NotFoundError('Trip not found');
    if (trip.status !== 'active' || !trip.startedAt)
      throw new TripStateError(`A ${trip.status} trip cannot end`);
    const vehicle = await vehicleRepository.findByIdForUpdate(tx, trip.vehicleId);
    const station = await stationRepository.findById(tx, stationId);
    if (!vehicle) throw new NotFoundError('Vehicle not found');
    if (!station || station.retiredAt) throw new NotFoundError('Station not found');
    if (station.tenantId !== vehicle.tenantId) throw new ReturnNotAllowedError('OTHER_TOWN');
    if (!station.acceptsReturns) throw new ReturnNotAllowedError('NOT_ACCEPTING_RETURNS');

    const oneWay = station.id !== trip.startStationId;
    if (oneWay) {
      const rules = await stationRepository.townRules(tx, vehicle.tenantId);
      if (!rules?.oneWayReturns) throw new ReturnNotAllowedError('ONE_WAY_NOT_ALLOWED');
      // The next rider expects the vehicle where they reserved it. Live reservations of one
      // vehicle never overlap, so every busy period overlapping this trip's own is that one.
      const own = await reservationRepository.findById(tx, trip.reservationId);
      const horizon = new Date(now.getTime() + RESERVATION_MAX_ADVANCE_DAYS * 24 * 60 * minute);
      const later = (await vehicleRepository.busyPeriods(tx, [vehicle.id], now, horizon)).filter(
        (b) => !own || !(b.from < own.to && b.to > own.from),
      );
      if (later.some((b) => b.stationId !== station.id))
        throw new ReturnNotAllowedError('RESERVED_ELSEWHERE');
    }
    // A friendly early answer; the capacity trigger on vehicle decides when two riders race.
    const parked = (await stationRepository.parkedCounts(tx, [station.id])).get(station.id) ?? 0;
    if (parked >= station.vehicleCapacity) throw new StationFullError(station.id);

    checkLockClosed(
      await vehicleTelemetryRepository.lockReading(tx, vehicle.tenantId, vehicle.deviceId, trip.requestedAt),
    );
    const track = await vehicleTelemetryRepository.track(
      tx,
      vehicle.tenantId,
      vehicle.deviceId,
      trip.requestedAt,
    );
    const position = checkPosition(track, station.position);
    const start = await stationRepository.findById(tx, trip.startStationId);
    const distance = tripDistance(start?.position ?? station.position, track, station.position);
    const durationSeconds = Math.max(0, Math.round((now.getTime() - trip.startedAt.getTime()) / 1000));
    const price = await this.pricing.quoteTrip(tx, {
      tenantId: trip.tenantId,
      vehicleTypeId: vehicle.vehicleTypeId,
      startedAt: trip.startedAt,
      endedAt: now,
      distanceMeters: distance.meters,
    });

    // Vehicle first: the rider may move it only while the reservation is still live.
    await vehicleRepository.update(tx, vehicle.id, {
      status: 'available',
      stationId: station.id,
      rotatePublicId: true,
    });
    await reservationRepository.setStatus(tx, trip.reservationId, 'completed');
    return tripRepository.complete(tx, trip.id, {
      endStationId: station.id,
      endedAt: now,
      durationSeconds,
      distanceMeters: distance.meters,
      distanceSource: distance.source,
      positionConfirmed: position.confirmed,
      price,
    });
  }

  /**
   * The expected price of riding a vehicle for a reserved period, from the same tariff and
   * engine that price the trip when it ends (the actual ride may be shorter or longer).
   */
  async quote(actor: Actor, vehicleId: string, from: Date, to: Date): Promise<TripPrice | null> {
    // Not validateReservationPeriod: a reservation already under way is quoted too.
    if (!(to.getTime() > from.getTime())) {
      throw new ValidationError(
        'The end must be after the start / Das Ende muss nach dem Beginn liegen',
        'to',
      );
    }
    if (to.getTime() - from.getTime() > RESERVATION_MAX_HOURS * 60 * minute) {
      throw new ValidationError(`A quote covers at most ${RESERVATION_MAX_HOURS} hours`, 'to');
    }
    if (!isUuid(vehicleId)) throw new NotFoundError('Vehicle not found');
    return withActor(this.db, actor, async (tx) => {
      const vehicle = await vehicleRepository.findById(tx, vehicleId);
      if (!vehicle) throw new NotFoundError('Vehicle not found');
      return this.pricing.quoteTrip(tx, {
        tenantId: vehicle.tenantId,
        vehicleTypeId: vehicle.vehicleTypeId,
        startedAt: from,
        endedAt: to,
        distanceMeters: 0,
      });
    });
  }

  async get(actor: Actor, id: string): Promise<Trip | null> {
    if (!actor.accountId || !isUuid(id)) return null;
    return (await withActor(this.db, actor, (tx) => tripRepository.findById(tx, id))) ?? null;
  }

  async forReservation(actor: Actor, reservationId: string): Promise<Trip | null> {
    return (
      (await withActor(this.db, actor, (tx) => tripRepository.findByReservation(tx, reservationId))) ?? null
    );
  }

  async current(actor: Actor): Promise<Trip | null> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    return (
      (await withActor(this.db, actor, (tx) => tripRepository.findLiveByAccount(tx, actor.accountId!))) ??
      null
    );
  }

  async listMine(actor: Actor, page: { limit: number; offset: number }): Promise<Trip[]> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    return withActor(this.db, actor, (tx) => tripRepository.listByAccount(tx, actor.accountId!, page));
  }

  async listForTenant(actor: Actor, from: Date, to: Date, page: { limit: number; offset: number }) {
    if (!isStaff(actor)) throw new ForbiddenError('Only staff of a town see its trips');
    return withActor(this.db, actor, (tx) => tripRepository.listByTenant(tx, actor.tenantId, from, to, page));
  }

  async unlockCommand(actor: Actor, tripId: string): Promise<LockCommand | null> {
    return (
      (await withActor(this.db, actor, (tx) => vehicleCommandRepository.findUnlockForTrip(tx, tripId))) ??
      null
    );
  }
}
