import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import {
  BookingStateError,
  NotFoundError,
  PgCode,
  pgConstraint,
  pgErrorCode,
  ValidationError,
} from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, withActor } from '../core/tenancy.ts';
import { parseInput } from '../garages/inventory.validation.ts';
import { stationRepository } from './station.repository.ts';
import { requireManager } from './station.service.ts';
import { vehicleEditSchema, vehicleInputSchema, vehicleTypeInputSchema } from './station.validation.ts';
import { StationFullError } from './station-errors.ts';
import { vehicleRepository } from './vehicle.repository.ts';
import type {
  FormFactor,
  Vehicle,
  VehicleInput,
  VehiclePublicState,
  VehicleType,
  VehicleTypeInput,
} from './vehicle.ts';
import { isVehicleFree } from './vehicle-availability.ts';
import { type VehicleLiveStatus, vehicleTelemetryRepository } from './vehicle-telemetry.repository.ts';

const constraintMessages: Record<string, [message: string, field: string]> = {
  vehicle_type_code_unique: ['Your town has a vehicle type with this code already', 'code'],
  vehicle_label_unique: ['Your town has a vehicle with this label already', 'label'],
  vehicle_device_unique: ['This device is fitted to another vehicle already', 'deviceId'],
  vehicle_type_fk: ['Choose a vehicle type of your town', 'vehicleTypeId'],
  vehicle_home_station_fk: ['Choose a station of your town', 'homeStationId'],
  vehicle_station_fk: ['Choose a station of your town', 'stationId'],
};

/** check_violation raised by the capacity trigger (migration 2026-11-22T0600_stations). */
export function isStationFull(error: unknown): boolean {
  return pgErrorCode(error) === PgCode.checkViolation && pgConstraint(error) === 'vehicle_station_capacity';
}

async function mapFleetErrors<T>(work: () => Promise<T>, stationId?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isStationFull(error)) throw new StationFullError(stationId ?? '');
    const code = pgErrorCode(error);
    const known = constraintMessages[pgConstraint(error) ?? ''];
    if (known && (code === PgCode.uniqueViolation || code === PgCode.foreignKeyViolation)) {
      throw new ValidationError(...known);
    }
    throw error;
  }
}

export type OperatorVehicleStatus = 'available' | 'maintenance' | 'retired';

/** What an operator may change of a vehicle besides its status and station. */
export interface VehicleEdit {
  vehicleTypeId?: string | null;
  label?: string | null;
  deviceId?: string | null;
}

/** Vehicle types and vehicles: public to read, managed by the town's operators. */
export class FleetService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async typesByIds(actor: Actor, ids: readonly string[]): Promise<(VehicleType | undefined)[]> {
    return withActor(this.db, actor, (tx) => vehicleRepository.typesByIds(tx, ids.filter(isUuid))).then(
      (found) => {
        const byId = new Map(found.filter((t) => t !== undefined).map((t) => [t.id, t]));
        return ids.map((id) => byId.get(id));
      },
    );
  }

  async types(actor: Actor, tenantId?: string): Promise<VehicleType[]> {
    return withActor(this.db, actor, (tx) => vehicleRepository.listTypes(tx, tenantId));
  }

  async createType(actor: Actor, input: VehicleTypeInput): Promise<VehicleType> {
    requireManager(actor);
    const valid = parseInput(vehicleTypeInputSchema, input);
    return mapFleetErrors(() =>
      withActor(this.db, actor, (tx) => vehicleRepository.insertType(tx, actor.tenantId, valid)),
    );
  }

  async byIds(actor: Actor, ids: readonly string[]): Promise<(Vehicle | undefined)[]> {
    const found = await withActor(this.db, actor, (tx) =>
      vehicleRepository.findByIds(tx, ids.filter(isUuid)),
    );
    const byId = new Map(found.filter((v) => v !== undefined).map((v) => [v.id, v]));
    return ids.map((id) => byId.get(id));
  }

  /** Staff: every vehicle of their town; others: vehicles in service. */
  async list(actor: Actor, filter: { tenantId?: string; stationIds?: string[] }): Promise<Vehicle[]> {
    return withActor(this.db, actor, (tx) =>
      vehicleRepository.list(tx, { ...filter, stationIds: filter.stationIds?.filter(isUuid) }),
    );
  }

  async create(actor: Actor, input: VehicleInput): Promise<Vehicle> {
    requireManager(actor);
    const valid = parseInput(vehicleInputSchema, input);
    return mapFleetErrors(
      () => withActor(this.db, actor, (tx) => vehicleRepository.insert(tx, actor.tenantId, valid)),
      valid.homeStationId,
    );
  }

  /**
   * Operators take a vehicle out of service, put it back, move it to another station
   * (rebalancing), change its type, label or telematics device, or retire it. A vehicle out
   * on a trip is left alone.
   */
  async update(
    actor: Actor,
    id: string,
    patch: { status?: OperatorVehicleStatus | null; stationId?: string | null } & VehicleEdit,
  ): Promise<Vehicle> {
    requireManager(actor);
    if (!isUuid(id)) throw new NotFoundError('Vehicle not found');
    const edit = parseInput(vehicleEditSchema, {
      vehicleTypeId: patch.vehicleTypeId ?? undefined,
      label: patch.label ?? undefined,
      deviceId: patch.deviceId ?? undefined,
    });
    if (patch.stationId != null && !isUuid(patch.stationId))
      throw new ValidationError('Not a valid id', 'stationId');
    return mapFleetErrors(
      () =>
        withActor(this.db, actor, async (tx) => {
          const vehicle = await vehicleRepository.findByIdForUpdate(tx, id);
          if (!vehicle) throw new NotFoundError('Vehicle not found');
          if (vehicle.status === 'in_use') throw new BookingStateError('The vehicle is out on a trip');
          if (vehicle.status === 'retired') throw new BookingStateError('The vehicle is retired');
          const status = patch.status ?? vehicle.status;
          const stationId = status === 'retired' ? null : (patch.stationId ?? vehicle.stationId);
          if (edit.deviceId) await vehicleRepository.ensureDevice(tx, vehicle.tenantId, edit.deviceId);
          const updated = await vehicleRepository.update(tx, id, { ...edit, status, stationId });
          if (!updated) throw new NotFoundError('Vehicle not found');
          return updated;
        }),
      patch.stationId ?? undefined,
    );
  }

  /** Staff of the vehicle's town: its device's lock, battery, last report and position. */
  async liveStatus(actor: Actor, vehicle: Vehicle): Promise<VehicleLiveStatus | null> {
    if (!isStaff(actor) || actor.tenantId !== vehicle.tenantId) return null;
    return (
      (await withActor(this.db, actor, (tx) =>
        vehicleTelemetryRepository.liveStatus(tx, vehicle.tenantId, vehicle.deviceId),
      )) ?? null
    );
  }

  async publicStates(actor: Actor, ids: readonly string[]): Promise<Map<string, VehiclePublicState>> {
    return withActor(this.db, actor, (tx) => vehicleRepository.publicStates(tx, ids.filter(isUuid)));
  }

  /** Vehicles of the stations that are free for the whole of [from, to), by station. */
  async freeAtStations(
    actor: Actor,
    stationIds: readonly string[],
    from: Date,
    to: Date,
    formFactor?: FormFactor,
  ): Promise<Map<string, Vehicle[]>> {
    if (to.getTime() <= from.getTime()) throw new ValidationError('The end must be after the start', 'to');
    const now = this.clock.now();
    return withActor(this.db, actor, async (tx) => {
      // A station that is not renting has nothing free, whatever stands there.
      const renting = (await stationRepository.findByIds(tx, stationIds.filter(isUuid)))
        .filter((s) => s?.isRenting && !s.retiredAt)
        .map((s) => s!.id);
      const vehicles = await vehicleRepository.list(tx, { stationIds: renting, formFactor });
      const busy = await vehicleRepository.busyPeriods(
        tx,
        vehicles.map((v) => v.id),
        from,
        to,
      );
      const free = new Map<string, Vehicle[]>();
      for (const v of vehicles) {
        if (!isVehicleFree(v, busy, from, to, now)) continue;
        const at = v.stationId ?? v.homeStationId;
        free.set(at, [...(free.get(at) ?? []), v]);
      }
      return free;
    });
  }
}
