import type { Db, TenantRow, Tx } from './db/database.ts';
import { anonymousActor, withActor } from './tenancy.ts';

/** A town (or the region) and the booking rules it sets for itself. */
export interface Tenant {
  id: string;
  name: string;
  holdMinutes: number;
  maxBookingDays: number;
  accessGraceMinutes: number;
  timezone: string;
  /** A booking whose space reports no occupancy this long after the start is a no-show. */
  noShowGraceMinutes: number;
  doorOpenAlertMinutes: number;
  batteryLowPercent: number;
  offlineAlertMinutes: number;
}

export const TENANT_IDS = ['arnsberg', 'bad-berleburg', 'menden', 'olpe', 'soest', 'suedwestfalen'] as const;

export function tenantRowToTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    name: row.name,
    holdMinutes: row.hold_minutes,
    maxBookingDays: row.max_booking_days,
    accessGraceMinutes: row.access_grace_minutes,
    timezone: row.timezone,
    noShowGraceMinutes: row.no_show_grace_minutes,
    doorOpenAlertMinutes: row.door_open_alert_minutes,
    batteryLowPercent: row.battery_low_percent,
    offlineAlertMinutes: row.offline_alert_minutes,
  };
}

export const tenantRepository = {
  async findById(tx: Tx, id: string): Promise<Tenant | undefined> {
    const row = await tx.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirst();
    return row && tenantRowToTenant(row);
  },
  async findByIds(tx: Tx, ids: readonly string[]): Promise<Tenant[]> {
    if (ids.length === 0) return [];
    const rows = await tx.selectFrom('tenant').selectAll().where('id', 'in', ids).execute();
    return rows.map(tenantRowToTenant);
  },
  async list(tx: Tx): Promise<Tenant[]> {
    return (await tx.selectFrom('tenant').selectAll().orderBy('id').execute()).map(tenantRowToTenant);
  },
};

/** Read access to tenants for the API (the tenant list is public). */
export class TenantService {
  constructor(private readonly db: Db) {}

  async byIds(ids: readonly string[]): Promise<(Tenant | Error)[]> {
    const found = await withActor(this.db, anonymousActor, (tx) => tenantRepository.findByIds(tx, ids));
    const byId = new Map(found.map((t) => [t.id, t]));
    return ids.map((id) => byId.get(id) ?? new Error(`Unknown tenant ${id}`));
  }

  async list(): Promise<Tenant[]> {
    return withActor(this.db, anonymousActor, (tx) => tenantRepository.list(tx));
  }
}
