import type { Db } from '../core/db/database.ts';
import { type Actor, anonymousActor, withActor } from '../core/tenancy.ts';
import { tenantRepository } from '../core/tenant.ts';
import { stationRepository } from '../stations/station.repository.ts';
import type { MobilityStation } from '../stations/station.ts';
import type { PricingPlan, TripPricing } from '../stations/trip-pricing.ts';
import { vehicleRepository } from '../stations/vehicle.repository.ts';
import type { BusyPeriod, Vehicle, VehiclePublicState, VehicleType } from '../stations/vehicle.ts';
import { AVAILABILITY_HORIZON_DAYS } from './gbfs.ts';

/** Most stations one town's feed lists; far above any town of the region. */
export const MAX_FEED_STATIONS = 5000;

/** Everything one town's feeds are built from, read in one transaction. No personal data. */
export interface GbfsSnapshot {
  tenant: { id: string; name: string; timezone: string; oneWayReturns: boolean };
  stations: MobilityStation[];
  parked: Map<string, number>;
  types: VehicleType[];
  /** Vehicles in service; those out on a trip have no station. */
  vehicles: Vehicle[];
  /** Live reservations from `from` to the horizon, without who holds them. */
  busy: BusyPeriod[];
  states: Map<string, VehiclePublicState>;
  plans: PricingPlan[];
  from: Date;
}

/**
 * The public reader of one town: anonymous, with the town set, so row-level security on
 * stations, vehicle types and vehicles shows that town's rows only, whatever a query forgets.
 */
export function publicReaderOf(tenantId: string): Actor {
  return { ...anonymousActor, tenantId };
}

export async function loadSnapshot(
  db: Db,
  pricing: TripPricing,
  tenantId: string,
  from: Date,
): Promise<GbfsSnapshot | undefined> {
  const horizon = new Date(from.getTime() + AVAILABILITY_HORIZON_DAYS * 24 * 3_600_000);
  const snapshot = await withActor(db, publicReaderOf(tenantId), async (tx) => {
    const tenant = await tenantRepository.findById(tx, tenantId);
    if (!tenant) return undefined;
    const rules = await stationRepository.townRules(tx, tenantId);
    const stations = await stationRepository.list(tx, { tenantId }, { limit: MAX_FEED_STATIONS, offset: 0 });
    const vehicles = await vehicleRepository.list(tx, { tenantId });
    const ids = vehicles.map((v) => v.id);
    return {
      tenant: {
        id: tenant.id,
        name: tenant.name,
        timezone: tenant.timezone,
        oneWayReturns: rules?.oneWayReturns ?? false,
      },
      stations,
      parked: await stationRepository.parkedCounts(
        tx,
        stations.map((s) => s.id),
      ),
      types: await vehicleRepository.listTypes(tx, tenantId),
      vehicles,
      busy: await vehicleRepository.busyPeriods(tx, ids, from, horizon),
      states: await vehicleRepository.publicStates(tx, ids),
      from,
    };
  });
  return snapshot && { ...snapshot, plans: await pricing.plans(tenantId) };
}

/** Towns that run at least one open mobility station: one data set each in the manifest. */
export async function townsWithStations(db: Db): Promise<string[]> {
  return withActor(db, anonymousActor, async (tx) => {
    const stations = await stationRepository.list(tx, {}, { limit: MAX_FEED_STATIONS, offset: 0 });
    return [...new Set(stations.map((s) => s.tenantId))].sort();
  });
}
