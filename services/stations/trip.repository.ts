import type { TripRow, Tx } from '../core/db/database.ts';
import { jsonb } from '../core/db/jsonb.ts';
import { ownRecordsPage, townRecordsPage } from '../garages/record-pages.ts';
import type { DistanceSource, PriceStatus, Trip, TripCompletion, TripStatus } from './trip.ts';
import type { TripPriceLine } from './trip-pricing.ts';

export function tripRowToTrip(row: TripRow): Trip {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    reservationId: row.reservation_id,
    vehicleId: row.vehicle_id,
    accountId: row.account_id,
    status: row.status as TripStatus,
    startStationId: row.start_station_id,
    endStationId: row.end_station_id,
    requestedAt: row.requested_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationSeconds: row.duration_seconds,
    distanceMeters: row.distance_meters,
    distanceSource: row.distance_source as DistanceSource | null,
    positionConfirmed: row.position_confirmed,
    priceStatus: row.price_status as PriceStatus,
    priceCents: row.price_cents,
    priceCurrency: row.price_currency,
    priceVatCents: row.price_vat_cents,
    priceVatRateBp: row.price_vat_rate_bp,
    tariffId: row.tariff_id,
    // postgres.js parses jsonb, PGlite may hand it over as text.
    priceLines: (typeof row.price_lines === 'string'
      ? JSON.parse(row.price_lines)
      : row.price_lines) as TripPriceLine[],
  };
}

export const tripRepository = {
  async insertStarting(
    tx: Tx,
    t: {
      tenantId: string;
      reservationId: string;
      vehicleId: string;
      accountId: string;
      startStationId: string;
      requestedAt: Date;
    },
  ): Promise<Trip> {
    const row = await tx
      .insertInto('trip')
      .values({
        tenant_id: t.tenantId,
        reservation_id: t.reservationId,
        vehicle_id: t.vehicleId,
        account_id: t.accountId,
        start_station_id: t.startStationId,
        requested_at: t.requestedAt,
        status: 'starting',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return tripRowToTrip(row);
  },

  async findById(tx: Tx, id: string): Promise<Trip | undefined> {
    const row = await tx.selectFrom('trip').selectAll().where('id', '=', id).executeTakeFirst();
    return row && tripRowToTrip(row);
  },

  async findByIdForUpdate(tx: Tx, id: string): Promise<Trip | undefined> {
    const row = await tx.selectFrom('trip').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return row && tripRowToTrip(row);
  },

  async findByReservation(tx: Tx, reservationId: string): Promise<Trip | undefined> {
    const row = await tx
      .selectFrom('trip')
      .selectAll()
      .where('reservation_id', '=', reservationId)
      .orderBy('requested_at', 'desc')
      .executeTakeFirst();
    return row && tripRowToTrip(row);
  },

  async setStatus(tx: Tx, id: string, status: 'active' | 'failed', at: Date): Promise<Trip> {
    const row = await tx
      .updateTable('trip')
      .set({ status, updated_at: at, ...(status === 'active' && { started_at: at }) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return tripRowToTrip(row);
  },

  async complete(tx: Tx, id: string, c: TripCompletion): Promise<Trip> {
    const row = await tx
      .updateTable('trip')
      .set({
        status: 'completed',
        end_station_id: c.endStationId,
        ended_at: c.endedAt,
        duration_seconds: c.durationSeconds,
        distance_meters: c.distanceMeters,
        distance_source: c.distanceSource,
        position_confirmed: c.positionConfirmed,
        price_status: c.price ? 'quoted' : 'unpriced',
        price_cents: c.price?.amountCents ?? null,
        price_currency: c.price?.currency ?? null,
        price_vat_cents: c.price?.vatCents ?? null,
        price_vat_rate_bp: c.price?.vatRateBp ?? null,
        tariff_id: c.price?.tariffId ?? null,
        price_lines: jsonb(c.price?.lines ?? []),
        updated_at: c.endedAt,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return tripRowToTrip(row);
  },

  async listByAccount(tx: Tx, accountId: string, page: { limit: number; offset: number }): Promise<Trip[]> {
    const rows = await tx
      .selectFrom('trip')
      .selectAll()
      .$call((q) => ownRecordsPage(q, accountId, 'requested_at', page))
      .execute();
    return rows.map(tripRowToTrip);
  },

  async findLiveByAccount(tx: Tx, accountId: string): Promise<Trip | undefined> {
    const row = await tx
      .selectFrom('trip')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('status', 'in', ['starting', 'active'])
      .orderBy('requested_at', 'desc')
      .executeTakeFirst();
    return row && tripRowToTrip(row);
  },

  async listByTenant(
    tx: Tx,
    tenantId: string,
    from: Date,
    to: Date,
    page: { limit: number; offset: number },
  ) {
    const rows = await tx
      .selectFrom('trip')
      .selectAll()
      .$call((q) => townRecordsPage(q, tenantId, { from, to, by: 'requested_at' }, page))
      .execute();
    return rows.map(tripRowToTrip);
  },

  /** Trips still `starting` with the status of their unlock command (for the settling worker). */
  async listStarting(tx: Tx): Promise<{ trip: Trip; commandStatus: string | null }[]> {
    const rows = await tx
      .selectFrom('trip')
      .leftJoin('device_command as c', (join) =>
        join.onRef('c.trip_id', '=', 'trip.id').on('c.action', '=', 'unlock'),
      )
      .selectAll('trip')
      .select('c.status as command_status')
      .where('trip.status', '=', 'starting')
      .execute();
    return rows.map((r) => ({ trip: tripRowToTrip(r), commandStatus: r.command_status }));
  },
};
