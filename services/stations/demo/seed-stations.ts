import type { Db, Tx } from '../../core/db/database.ts';
import { systemActor, withActor } from '../../core/tenancy.ts';
import { stationRepository } from '../station.repository.ts';
import { vehicleRepository } from '../vehicle.repository.ts';
import { demoOneWayTowns, demoStations, demoVehicleTypes } from './demo-stations.ts';

export interface StationSeedSummary {
  stations: number;
  vehicles: number;
}

const typeLetter: Record<string, string> = { 'e-bike': 'E', 'cargo-e': 'L' };

async function stationIdByRef(tx: Tx, tenantId: string, ref: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('site')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('external_ref', '=', ref)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Demo stations with e-bikes and cargo bikes, each with a telematics device that the device
 * simulator plays (it gets its secret at start like every demo lock). Idempotent: stations are
 * matched by external reference, vehicle types by code, vehicles by label.
 */
export async function seedDemoStations(db: Db): Promise<StationSeedSummary> {
  let vehicles = 0;
  await withActor(db, systemActor, async (tx) => {
    for (const town of demoOneWayTowns) {
      await tx.updateTable('tenant').set({ one_way_returns: true }).where('id', '=', town).execute();
    }
    const towns = [...new Set(demoStations.map((s) => s.tenantId))];
    const typeIds = new Map<string, string>();
    for (const tenantId of towns) {
      const existing = await vehicleRepository.listTypes(tx, tenantId);
      for (const demo of demoVehicleTypes) {
        const type =
          existing.find((t) => t.code === demo.code) ??
          (await vehicleRepository.insertType(tx, tenantId, { ...demo, riderCapacity: 1 }));
        typeIds.set(`${tenantId}/${demo.code}`, type.id);
      }
    }
    const labels = new Set(
      (await vehicleRepository.list(tx, { includeRetired: true })).map((v) => `${v.tenantId}/${v.label}`),
    );
    for (const demo of demoStations) {
      const garage = demo.garageRef ? await stationIdByRef(tx, demo.tenantId, demo.garageRef) : undefined;
      const stationId =
        (await stationIdByRef(tx, demo.tenantId, demo.ref)) ??
        (
          await stationRepository.insert(tx, demo.tenantId, {
            name: demo.name,
            street: demo.street,
            postalCode: demo.postalCode,
            city: demo.city,
            lat: demo.lat,
            lon: demo.lon,
            openingHours: '24/7',
            externalRef: demo.ref,
            vehicleCapacity: demo.vehicleCapacity,
            chargingPoints: demo.chargingPoints,
            busStopRef: demo.busStopRef,
            busStopName: demo.busStopName,
            bikeGarageSiteId: garage ?? null,
          })
        ).id;
      for (const [code, count] of Object.entries(demo.vehicles)) {
        for (let n = 1; n <= count; n++) {
          const label = `${demo.ref}-${typeLetter[code] ?? 'X'}${n}`;
          vehicles++;
          if (labels.has(`${demo.tenantId}/${label}`)) continue;
          await vehicleRepository.insert(tx, demo.tenantId, {
            vehicleTypeId: typeIds.get(`${demo.tenantId}/${code}`)!,
            label,
            deviceId: label.toLowerCase(),
            homeStationId: stationId,
          });
        }
      }
    }
  });
  return { stations: demoStations.length, vehicles };
}
