import { sql } from 'kysely';
import type { SiteRow, Tx } from '../core/db/database.ts';
import { boundingBox, distanceKm } from '../garages/geo.ts';
import { siteRowToSite } from '../garages/site.repository.ts';
import type { GeoPoint } from '../garages/site.ts';
import type { MobilityStation, StationFields, StationInput, StationPatch } from './station.ts';

const stationColumns = [
  'm.vehicle_capacity',
  'm.accepts_returns',
  'm.is_renting',
  'm.charging_points',
  'm.bus_stop_ref',
  'm.bus_stop_name',
  'm.bike_garage_site_id',
  'm.bench_site_id',
  'm.updated_at as station_updated_at',
] as const;

interface StationRow extends SiteRow {
  vehicle_capacity: number;
  accepts_returns: boolean;
  is_renting: boolean;
  charging_points: number;
  bus_stop_ref: string | null;
  bus_stop_name: string | null;
  bike_garage_site_id: string | null;
  bench_site_id: string | null;
  station_updated_at: Date;
}

export function stationRowToStation(row: StationRow): MobilityStation {
  return {
    ...siteRowToSite(row),
    vehicleCapacity: row.vehicle_capacity,
    acceptsReturns: row.accepts_returns,
    isRenting: row.is_renting,
    chargingPoints: row.charging_points,
    busStopRef: row.bus_stop_ref,
    busStopName: row.bus_stop_name,
    bikeGarageSiteId: row.bike_garage_site_id,
    benchSiteId: row.bench_site_id,
    // A station changes when either of its rows does.
    updatedAt: new Date(Math.max(row.station_updated_at.getTime(), row.updated_at.getTime())),
  };
}

function stations(tx: Tx) {
  return tx
    .selectFrom('mobility_station as m')
    .innerJoin('site as s', (join) =>
      join.onRef('s.id', '=', 'm.site_id').onRef('s.tenant_id', '=', 'm.tenant_id'),
    )
    .selectAll('s')
    .select(stationColumns);
}

export interface StationFilter {
  tenantId?: string | undefined;
  near?: GeoPoint | undefined;
  radiusKm?: number | undefined;
}

function fieldsToRow(f: Partial<StationFields>) {
  return {
    ...(f.vehicleCapacity !== undefined && { vehicle_capacity: f.vehicleCapacity }),
    ...(f.acceptsReturns !== undefined && { accepts_returns: f.acceptsReturns }),
    ...(f.isRenting !== undefined && { is_renting: f.isRenting }),
    ...(f.chargingPoints !== undefined && { charging_points: f.chargingPoints }),
    ...(f.busStopRef !== undefined && { bus_stop_ref: f.busStopRef }),
    ...(f.busStopName !== undefined && { bus_stop_name: f.busStopName }),
    ...(f.bikeGarageSiteId !== undefined && { bike_garage_site_id: f.bikeGarageSiteId }),
    ...(f.benchSiteId !== undefined && { bench_site_id: f.benchSiteId }),
  };
}

export const stationRepository = {
  async findById(tx: Tx, id: string): Promise<MobilityStation | undefined> {
    const row = await stations(tx).where('m.site_id', '=', id).executeTakeFirst();
    return row && stationRowToStation(row as StationRow);
  },

  /** Keeps the order of `ids`; stations the actor may not see come back as undefined. */
  async findByIds(tx: Tx, ids: readonly string[]): Promise<(MobilityStation | undefined)[]> {
    if (ids.length === 0) return [];
    const rows = await stations(tx).where('m.site_id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, stationRowToStation(r as StationRow)]));
    return ids.map((id) => byId.get(id));
  },

  /** Open stations the actor may see: nearest first with a position, else by town and name. */
  async list(
    tx: Tx,
    filter: StationFilter,
    page: { limit: number; offset: number },
  ): Promise<MobilityStation[]> {
    let query = stations(tx).where('s.retired_at', 'is', null);
    if (filter.tenantId) query = query.where('m.tenant_id', '=', filter.tenantId);
    if (filter.near && filter.radiusKm !== undefined) {
      const near = filter.near;
      const radius = filter.radiusKm;
      const box = boundingBox(near, radius);
      const rows = await query
        .where('s.lat', '>=', box.minLat)
        .where('s.lat', '<=', box.maxLat)
        .where('s.lon', '>=', box.minLon)
        .where('s.lon', '<=', box.maxLon)
        .execute();
      return rows
        .map((r) => stationRowToStation(r as StationRow))
        .map((station) => ({ station, distance: distanceKm(near, station.position) }))
        .filter((s) => s.distance <= radius)
        .sort((a, b) => a.distance - b.distance || a.station.id.localeCompare(b.station.id))
        .slice(page.offset, page.offset + page.limit)
        .map((s) => s.station);
    }
    const rows = await query
      .orderBy('s.tenant_id')
      .orderBy('s.name')
      .orderBy('s.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map((r) => stationRowToStation(r as StationRow));
  },

  /** The site (kind mobility_station) and its station row, in the caller's transaction. */
  async insert(tx: Tx, tenantId: string, input: StationInput): Promise<MobilityStation> {
    const site = await tx
      .insertInto('site')
      .values({
        tenant_id: tenantId,
        kind: 'mobility_station',
        name: input.name,
        street: input.street ?? null,
        postal_code: input.postalCode ?? null,
        city: input.city ?? null,
        lat: input.lat,
        lon: input.lon,
        opening_hours: input.openingHours ?? null,
        external_ref: input.externalRef ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('mobility_station')
      .values({ site_id: site.id, tenant_id: tenantId, ...fieldsToRow(input) })
      .execute();
    return (await stationRepository.findById(tx, site.id))!;
  },

  /** Returns undefined when the station is missing or row-level security hides it from writing. */
  async update(tx: Tx, id: string, patch: StationPatch): Promise<MobilityStation | undefined> {
    const now = new Date();
    const siteUpdate = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.street !== undefined && { street: patch.street }),
      ...(patch.postalCode !== undefined && { postal_code: patch.postalCode }),
      ...(patch.city !== undefined && { city: patch.city }),
      ...(patch.lat !== undefined && { lat: patch.lat }),
      ...(patch.lon !== undefined && { lon: patch.lon }),
      ...(patch.openingHours !== undefined && { opening_hours: patch.openingHours }),
      ...(patch.externalRef !== undefined && { external_ref: patch.externalRef }),
    };
    const station = await tx
      .updateTable('mobility_station')
      .set({ updated_at: now, ...fieldsToRow(patch) })
      .where('site_id', '=', id)
      .returning('site_id')
      .executeTakeFirst();
    if (!station) return undefined;
    if (Object.keys(siteUpdate).length > 0) {
      await tx
        .updateTable('site')
        .set({ ...siteUpdate, updated_at: now })
        .where('id', '=', id)
        .execute();
    }
    return stationRepository.findById(tx, id);
  },

  /** How many vehicles stand at each station now (in maintenance or not). */
  async parkedCounts(tx: Tx, stationIds: readonly string[]): Promise<Map<string, number>> {
    if (stationIds.length === 0) return new Map();
    const rows = await tx
      .selectFrom('vehicle')
      .select(['station_id', sql<string>`count(*)`.as('n')])
      .where('station_id', 'in', stationIds)
      .groupBy('station_id')
      .execute();
    return new Map(rows.map((r) => [r.station_id!, Number(r.n)]));
  },

  /** The town's rules for shared vehicles. */
  async townRules(
    tx: Tx,
    tenantId: string,
  ): Promise<{ oneWayReturns: boolean; noShowGraceMinutes: number } | undefined> {
    const row = await tx
      .selectFrom('tenant')
      .select(['one_way_returns', 'no_show_grace_minutes'])
      .where('id', '=', tenantId)
      .executeTakeFirst();
    return row && { oneWayReturns: row.one_way_returns, noShowGraceMinutes: row.no_show_grace_minutes };
  },
};
