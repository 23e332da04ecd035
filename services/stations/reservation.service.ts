import type { Clock } from '../core/clock.ts';
import type { Db, Tx } from '../core/db/database.ts';
import {
  BookingStateError,
  ForbiddenError,
  IdempotencyConflictError,
  NotAuthenticatedError,
  NotFoundError,
  PgCode,
  pgConstraint,
  pgErrorCode,
} from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, withActor } from '../core/tenancy.ts';
import { idempotencyKeyOf, periodRequestHash } from '../garages/idempotent-request.ts';
import { reservationRepository } from './reservation.repository.ts';
import type { ReserveVehicleInput, VehicleReservation } from './reservation.ts';
import { validateReservationPeriod } from './reservation-period.ts';
import { stationRepository } from './station.repository.ts';
import { VehicleUnavailableError } from './station-errors.ts';
import { vehicleRepository } from './vehicle.repository.ts';
import { startsNow } from './vehicle-availability.ts';

export const RESERVATION_KEY_MAX_LENGTH = 200;

export function requireCommuter(actor: Actor): asserts actor is Actor & { accountId: string } {
  if (!actor.accountId) throw new NotAuthenticatedError();
  if (actor.role !== 'commuter')
    throw new ForbiddenError('Staff accounts cannot ride; use a commuter account');
}

function requestHash(input: ReserveVehicleInput): string {
  return periodRequestHash(input.vehicleId, input.from, input.to);
}

/**
 * Reservations of shared vehicles ahead of time. The exclusion constraint on vehicle and period
 * decides races: of any number of overlapping attempts exactly one commits.
 */
export class ReservationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async reserve(actor: Actor, input: ReserveVehicleInput): Promise<VehicleReservation> {
    requireCommuter(actor);
    const key = idempotencyKeyOf(input.idempotencyKey, RESERVATION_KEY_MAX_LENGTH);
    if (!isUuid(input.vehicleId)) throw new NotFoundError('Vehicle not found');
    const hash = requestHash(input);
    try {
      return await withActor(
        this.db,
        actor,
        async (tx) => {
          const replay = await this.replay(tx, actor.accountId, key, hash);
          if (replay) return replay;
          const now = this.clock.now();
          const vehicle = await vehicleRepository.findById(tx, input.vehicleId);
          if (!vehicle) throw new NotFoundError('Vehicle not found');
          if (vehicle.status === 'maintenance' || vehicle.status === 'retired') {
            throw new VehicleUnavailableError(
              'The vehicle is out of service / Das Fahrzeug ist außer Betrieb',
            );
          }
          const stationId = vehicle.stationId ?? vehicle.homeStationId;
          const station = await stationRepository.findById(tx, stationId);
          if (!station || station.retiredAt || !station.isRenting) {
            throw new VehicleUnavailableError(
              'The station is not renting at the moment / Die Station verleiht zurzeit nicht',
            );
          }
          validateReservationPeriod(input.from, input.to, now);
          if (startsNow(input.from, now) && vehicle.stationId === null) {
            throw new VehicleUnavailableError(
              'The vehicle is not back yet / Das Fahrzeug ist noch unterwegs',
            );
          }
          return reservationRepository.insert(tx, {
            tenantId: vehicle.tenantId,
            vehicleId: vehicle.id,
            stationId,
            accountId: actor.accountId,
            from: input.from,
            to: input.to,
            idempotencyKey: key,
            requestHash: hash,
          });
          // Racing reservations of one vehicle can deadlock on the exclusion constraint: try again.
        },
        { retryDeadlocks: true },
      );
    } catch (error) {
      if (pgErrorCode(error) === PgCode.exclusionViolation) throw new VehicleUnavailableError();
      if (
        pgErrorCode(error) === PgCode.uniqueViolation &&
        pgConstraint(error) === 'vehicle_reservation_idempotency'
      ) {
        // A concurrent request with the same key committed first.
        const raced = await withActor(this.db, actor, (tx) => this.replay(tx, actor.accountId, key, hash));
        if (raced) return raced;
        throw new IdempotencyConflictError();
      }
      throw error;
    }
  }

  /** Same key and same input: the reservation made the first time. */
  private async replay(tx: Tx, accountId: string, key: string, hash: string) {
    const existing = await reservationRepository.findByIdempotencyKey(tx, accountId, key);
    if (!existing) return undefined;
    if (existing.requestHash !== hash) throw new IdempotencyConflictError();
    return existing.reservation;
  }

  /** The rider cancels before the trip starts; operators of the town may cancel too. */
  async cancel(actor: Actor, id: string): Promise<VehicleReservation> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    if (actor.role === 'planner') throw new ForbiddenError('Planners cannot change reservations');
    if (!isUuid(id)) throw new NotFoundError('Reservation not found');
    return withActor(this.db, actor, async (tx) => {
      const reservation = await reservationRepository.findByIdForUpdate(tx, id);
      if (!reservation) throw new NotFoundError('Reservation not found');
      if (reservation.status === 'cancelled') return reservation;
      if (reservation.status !== 'confirmed') {
        throw new BookingStateError(`A ${reservation.status} reservation cannot be cancelled`);
      }
      return reservationRepository.setStatus(tx, id, 'cancelled');
    });
  }

  async byIds(actor: Actor, ids: readonly string[]): Promise<(VehicleReservation | undefined)[]> {
    if (!actor.accountId) return ids.map(() => undefined);
    return withActor(this.db, actor, async (tx) =>
      Promise.all(ids.map((id) => (isUuid(id) ? reservationRepository.findById(tx, id) : undefined))),
    );
  }

  async listMine(actor: Actor, page: { limit: number; offset: number }): Promise<VehicleReservation[]> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    return withActor(this.db, actor, (tx) => reservationRepository.listByAccount(tx, actor.accountId!, page));
  }

  async listForTenant(actor: Actor, from: Date, to: Date, page: { limit: number; offset: number }) {
    if (!isStaff(actor)) throw new ForbiddenError('Only staff of a town see its reservations');
    return withActor(this.db, actor, (tx) =>
      reservationRepository.listByTenant(tx, actor.tenantId, from, to, page),
    );
  }
}
