import { sql } from 'kysely';
import type { Tx, VehicleReservationRow } from '../core/db/database.ts';
import { ownRecordsPage, townRecordsPage } from '../garages/record-pages.ts';
import type { ReservationStatus, VehicleReservation } from './reservation.ts';

export function reservationRowToReservation(row: VehicleReservationRow): VehicleReservation {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    vehicleId: row.vehicle_id,
    stationId: row.station_id,
    accountId: row.account_id,
    from: row.starts_at,
    to: row.ends_at,
    status: row.status as ReservationStatus,
    createdAt: row.created_at,
  };
}

export interface NewReservation {
  tenantId: string;
  vehicleId: string;
  stationId: string;
  accountId: string;
  from: Date;
  to: Date;
  idempotencyKey: string;
  requestHash: string;
}

export const reservationRepository = {
  async findById(tx: Tx, id: string): Promise<VehicleReservation | undefined> {
    const row = await tx
      .selectFrom('vehicle_reservation')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && reservationRowToReservation(row);
  },

  async findByIdForUpdate(tx: Tx, id: string): Promise<VehicleReservation | undefined> {
    const row = await tx
      .selectFrom('vehicle_reservation')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row && reservationRowToReservation(row);
  },

  async findByIdempotencyKey(
    tx: Tx,
    accountId: string,
    key: string,
  ): Promise<{ reservation: VehicleReservation; requestHash: string } | undefined> {
    const row = await tx
      .selectFrom('vehicle_reservation')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row && { reservation: reservationRowToReservation(row), requestHash: row.request_hash };
  },

  async insert(tx: Tx, r: NewReservation): Promise<VehicleReservation> {
    const row = await tx
      .insertInto('vehicle_reservation')
      .values({
        tenant_id: r.tenantId,
        vehicle_id: r.vehicleId,
        station_id: r.stationId,
        account_id: r.accountId,
        starts_at: r.from,
        ends_at: r.to,
        status: 'confirmed',
        idempotency_key: r.idempotencyKey,
        request_hash: r.requestHash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return reservationRowToReservation(row);
  },

  async setStatus(tx: Tx, id: string, status: ReservationStatus): Promise<VehicleReservation> {
    const row = await tx
      .updateTable('vehicle_reservation')
      .set({ status, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return reservationRowToReservation(row);
  },

  async listByAccount(tx: Tx, accountId: string, page: { limit: number; offset: number }) {
    const rows = await tx
      .selectFrom('vehicle_reservation')
      .selectAll()
      .$call((q) => ownRecordsPage(q, accountId, 'starts_at', page))
      .execute();
    return rows.map(reservationRowToReservation);
  },

  async listByTenant(
    tx: Tx,
    tenantId: string,
    from: Date,
    to: Date,
    page: { limit: number; offset: number },
  ) {
    const rows = await tx
      .selectFrom('vehicle_reservation')
      .selectAll()
      .$call((q) => townRecordsPage(q, tenantId, { from, to, by: 'starts_at' }, page))
      .execute();
    return rows.map(reservationRowToReservation);
  },

  /**
   * Confirmed reservations nobody started within the town's no-show grace become no_show and
   * free the vehicle. A reservation whose trip is being started is left alone.
   */
  async markNoShows(tx: Tx, now: Date): Promise<number> {
    const result = await sql`
      update vehicle_reservation r set status = 'no_show', updated_at = ${now}
      from tenant t
      where t.id = r.tenant_id and r.status = 'confirmed'
        and r.starts_at + make_interval(mins => t.no_show_grace_minutes) < ${now}
        and not exists (select 1 from trip where trip.reservation_id = r.id and trip.status <> 'failed')`.execute(
      tx,
    );
    return Number(result.numAffectedRows ?? 0);
  },
};
