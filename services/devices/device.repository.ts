import { sql } from 'kysely';
import type { DeviceAlertRow, Tx } from '../core/db/database.ts';
import type { AlertCondition, AlertKind, DeviceAlert, DeviceState } from './device.ts';

/** Every device column except the secret, which swf_app may not read. */
const stateColumns = [
  'tenant_id',
  'id',
  'kind',
  'name',
  'online',
  'last_seen_at',
  'door_open',
  'occupied',
  'battery_percent',
  'lock_state',
  'state_changed_at',
] as const;

function alertRowToAlert(row: DeviceAlertRow): DeviceAlert {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    deviceId: row.device_id,
    spaceId: row.space_id,
    bookingId: row.booking_id,
    kind: row.kind,
    openedAt: row.opened_at,
    resolvedAt: row.resolved_at,
    detail: row.detail,
  };
}

export const deviceRepository = {
  async list(tx: Tx, page: { limit: number; offset: number }): Promise<DeviceState[]> {
    const rows = await tx
      .selectFrom('device')
      .select(stateColumns)
      .orderBy('tenant_id')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      id: r.id,
      kind: r.kind,
      name: r.name,
      online: r.online,
      lastSeenAt: r.last_seen_at,
      doorOpen: r.door_open,
      occupied: r.occupied,
      batteryPercent: r.battery_percent,
      lockState: r.lock_state,
      stateChangedAt: r.state_changed_at,
    }));
  },

  async listAlerts(
    tx: Tx,
    openOnly: boolean,
    page: { limit: number; offset: number },
  ): Promise<DeviceAlert[]> {
    let query = tx.selectFrom('device_alert').selectAll();
    if (openOnly) query = query.where('resolved_at', 'is', null);
    const rows = await query
      .orderBy('opened_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(alertRowToAlert);
  },

  async findAlertById(tx: Tx, id: string): Promise<DeviceAlert | undefined> {
    const row = await tx.selectFrom('device_alert').selectAll().where('id', '=', id).executeTakeFirst();
    return row && alertRowToAlert(row);
  },

  async resolveAlert(tx: Tx, id: string, at: Date): Promise<DeviceAlert | undefined> {
    const row = await tx
      .updateTable('device_alert')
      .set({ resolved_at: at })
      .where('id', '=', id)
      .where('resolved_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row && alertRowToAlert(row);
  },

  /** Opens the alert unless the same one is open already; returns it only when new. */
  async raiseAlert(tx: Tx, c: AlertCondition, at: Date): Promise<DeviceAlert | undefined> {
    const row = await sql<DeviceAlertRow>`
      insert into device_alert (tenant_id, kind, device_id, space_id, booking_id, opened_at, detail)
      values (${c.tenantId}, ${c.kind}, ${c.deviceId}, ${c.spaceId}, ${c.bookingId ?? null}, ${at}, ${c.detail ?? null})
      on conflict (tenant_id, kind, coalesce(device_id, ''), coalesce(space_id::text, '')) where resolved_at is null
      do nothing
      returning *`.execute(tx);
    const created = row.rows[0];
    if (created) await sql`select pg_notify('device_alert_raised', ${created.id})`.execute(tx);
    return created && alertRowToAlert(created);
  },

  /** Resolves open alerts of a kind whose condition no longer holds. */
  async resolveAlertsExcept(tx: Tx, kind: AlertKind, stillOpen: AlertCondition[], at: Date): Promise<number> {
    const keep = new Set(stillOpen.map((c) => `${c.tenantId}|${c.deviceId ?? ''}|${c.spaceId ?? ''}`));
    const open = await tx
      .selectFrom('device_alert')
      .select(['id', 'tenant_id', 'device_id', 'space_id'])
      .where('kind', '=', kind)
      .where('resolved_at', 'is', null)
      .execute();
    const resolve = open
      .filter((a) => !keep.has(`${a.tenant_id}|${a.device_id ?? ''}|${a.space_id ?? ''}`))
      .map((a) => a.id);
    if (resolve.length === 0) return 0;
    await tx.updateTable('device_alert').set({ resolved_at: at }).where('id', 'in', resolve).execute();
    return resolve.length;
  },
};
