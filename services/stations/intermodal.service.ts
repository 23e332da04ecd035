import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import { ValidationError } from '../core/errors.ts';
import { type Actor, withActor } from '../core/tenancy.ts';
import { availabilityRepository } from '../garages/availability.repository.ts';
import { MAX_NEARBY_SITES, MAX_RADIUS_KM } from '../garages/availability.service.ts';
import { distanceKm } from '../garages/geo.ts';
import type { GeoPoint } from '../garages/site.ts';
import { spaceRepository } from '../garages/space.repository.ts';
import type { Space, SpaceType } from '../garages/space.ts';
import { stationRepository } from './station.repository.ts';
import type { MobilityStation, StationMode } from './station.ts';
import { vehicleRepository } from './vehicle.repository.ts';
import type { FormFactor, Vehicle, VehicleType } from './vehicle.ts';
import { isVehicleFree } from './vehicle-availability.ts';

/** Most modes one search may ask for ("a cargo bike, a bike box and a charging point"). */
export const MAX_MODE_REQUESTS = 6;
/** Most of one mode one request may ask for (a family taking four bikes). */
export const MAX_MODE_COUNT = 10;

export interface ModeRequest {
  mode: StationMode;
  /** SHARED_VEHICLE: only vehicles of this form factor. */
  formFactor?: FormFactor | null;
  /** BIKE_BOX: only spaces of this type. */
  spaceType?: SpaceType | null;
  /** How many must be free (default 1); for CHARGING the number of charging points. */
  count?: number | null;
}

export interface IntermodalQuery {
  near: GeoPoint;
  radiusKm: number;
  from: Date;
  to: Date;
  modes: ModeRequest[];
}

export interface StationMatch {
  station: MobilityStation;
  distanceKm: number;
  /** Free vehicles that satisfy the SHARED_VEHICLE requests, all of them for the window. */
  freeVehicles: Vehicle[];
  /** Free bike boxes (at the station or in its linked garage) that satisfy the BIKE_BOX requests. */
  freeSpaces: Space[];
}

function validate(q: IntermodalQuery): void {
  if (q.to <= q.from) throw new ValidationError('The end must be after the start', 'to');
  if (!(q.radiusKm > 0 && q.radiusKm <= MAX_RADIUS_KM)) {
    throw new ValidationError(`The radius must be more than 0 and at most ${MAX_RADIUS_KM} km`, 'radiusKm');
  }
  if (q.modes.length === 0 || q.modes.length > MAX_MODE_REQUESTS) {
    throw new ValidationError(`Ask for 1 to ${MAX_MODE_REQUESTS} modes`, 'modes');
  }
  for (const m of q.modes) {
    const count = m.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_MODE_COUNT) {
      throw new ValidationError(`A count lies between 1 and ${MAX_MODE_COUNT}`, 'modes.count');
    }
  }
}

/**
 * "A free cargo bike at 9:00 within 1 km, and a bike box at the station": stations near a point
 * that have every requested mode free for the whole window, nearest first. Bike boxes use the
 * same busy-space function as garage availability; vehicles the same rule as reservations.
 */
export class IntermodalSearch {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async search(actor: Actor, q: IntermodalQuery): Promise<StationMatch[]> {
    validate(q);
    const now = this.clock.now();
    return withActor(this.db, actor, async (tx) => {
      const stations = await stationRepository.list(
        tx,
        { near: q.near, radiusKm: q.radiusKm },
        { limit: MAX_NEARBY_SITES, offset: 0 },
      );
      const ids = stations.map((s) => s.id);
      const wants = (mode: StationMode) => q.modes.some((m) => m.mode === mode);

      let vehicles: Vehicle[] = [];
      let types = new Map<string, VehicleType>();
      if (wants('SHARED_VEHICLE')) {
        const renting = stations.filter((s) => s.isRenting).map((s) => s.id);
        const all = await vehicleRepository.list(tx, { stationIds: renting });
        const busy = await vehicleRepository.busyPeriods(
          tx,
          all.map((v) => v.id),
          q.from,
          q.to,
        );
        vehicles = all.filter((v) => isVehicleFree(v, busy, q.from, q.to, now));
        const found = await vehicleRepository.typesByIds(tx, [
          ...new Set(vehicles.map((v) => v.vehicleTypeId)),
        ]);
        types = new Map(found.filter((t) => t !== undefined).map((t) => [t.id, t]));
      }

      let spaces: Space[] = [];
      if (wants('BIKE_BOX')) {
        const siteIds = [
          ...ids,
          ...stations.flatMap((s) => (s.bikeGarageSiteId ? [s.bikeGarageSiteId] : [])),
        ];
        const all = await spaceRepository.listBySites(tx, siteIds);
        const busy = await availabilityRepository.busySpaceIds(
          tx,
          all.map((s) => s.id),
          q.from,
          q.to,
          now,
        );
        spaces = all.filter((s) => !busy.has(s.id));
      }

      const matches: StationMatch[] = [];
      for (const station of stations) {
        const here = vehicles.filter((v) => (v.stationId ?? v.homeStationId) === station.id);
        const boxes = spaces.filter((s) => s.siteId === station.id || s.siteId === station.bikeGarageSiteId);
        const freeVehicles = new Set<Vehicle>();
        const freeSpaces = new Set<Space>();
        const satisfied = q.modes.every((m) => {
          const count = m.count ?? 1;
          switch (m.mode) {
            case 'SHARED_VEHICLE': {
              const fit = here.filter(
                (v) => !m.formFactor || types.get(v.vehicleTypeId)?.formFactor === m.formFactor,
              );
              for (const v of fit) freeVehicles.add(v);
              return fit.length >= count;
            }
            case 'BIKE_BOX': {
              const fit = boxes.filter((s) => !m.spaceType || s.type === m.spaceType);
              for (const s of fit) freeSpaces.add(s);
              return fit.length >= count;
            }
            case 'CHARGING':
              return station.chargingPoints >= count;
            case 'BUS_STOP':
              return station.busStopRef !== null || station.busStopName !== null;
            case 'BENCH':
              return station.benchSiteId !== null;
          }
          return false;
        });
        if (!satisfied) continue;
        matches.push({
          station,
          distanceKm: Math.round(distanceKm(q.near, station.position) * 1000) / 1000,
          freeVehicles: [...freeVehicles],
          freeSpaces: [...freeSpaces],
        });
      }
      return matches;
    });
  }
}
