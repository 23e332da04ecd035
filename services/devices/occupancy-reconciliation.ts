import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import type { Db, Tx } from '../core/db/database.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { deviceRepository } from './device.repository.ts';
import type { AlertCondition, AlertKind } from './device.ts';

export interface ReconcileResult {
  noShows: number;
  raised: number;
  resolved: number;
}

/**
 * Compares what sensors report with what is booked, per town thresholds:
 * - a booking whose space never reported occupied within the no-show grace after its start
 *   becomes no_show (the booking trigger then releases the space to the waitlist);
 * - a space occupied without a live booking raises `misuse`, or `overstay` when it has been
 *   occupied since before its last booking ended;
 * - door open too long, low battery, offline, jammed and tamper raise their alerts.
 * Alerts whose condition has cleared are resolved (tamper waits for an operator).
 * Only devices that report occupancy at all take part: no sensor, no no-show.
 */
export async function reconcileOccupancy(db: Db, clock: Clock): Promise<ReconcileResult> {
  const now = clock.now();
  return withActor(db, systemActor, async (tx) => {
    const noShows = await markNoShows(tx, now);
    let raised = 0;
    let resolved = 0;
    const conditions = await currentConditions(tx, now);
    for (const [kind, list] of conditions) {
      for (const condition of list) if (await deviceRepository.raiseAlert(tx, condition, now)) raised++;
      if (kind !== 'tamper') resolved += await deviceRepository.resolveAlertsExcept(tx, kind, list, now);
    }
    return { noShows, raised, resolved };
  });
}

async function markNoShows(tx: Tx, now: Date): Promise<number> {
  const result = await sql`
    update booking b set status = 'no_show'
    from space s, device d, tenant t
    where s.id = b.space_id
      and d.tenant_id = s.tenant_id and d.id = s.lock_device_id
      and t.id = b.tenant_id
      and b.status in ('confirmed', 'active')
      and b.starts_at + make_interval(mins => t.no_show_grace_minutes) <= ${now}
      and b.ends_at > ${now}
      and d.occupied is not null
      and d.occupied = false
      and not exists (
        select 1 from sensor_reading r
        where r.tenant_id = d.tenant_id and r.device_id = d.id and r.occupied
          and r.at >= b.starts_at - make_interval(mins => t.access_grace_minutes) and r.at <= ${now})`.execute(
    tx,
  );
  return Number(result.numAffectedRows ?? 0);
}

async function currentConditions(tx: Tx, now: Date): Promise<Map<AlertKind, AlertCondition[]>> {
  const conditions = new Map<AlertKind, AlertCondition[]>([
    ['misuse', []],
    ['overstay', []],
    ['door_open_too_long', []],
    ['battery_low', []],
    ['offline', []],
    ['jammed', []],
    ['tamper', []],
  ]);
  const add = (c: AlertCondition) => conditions.get(c.kind)!.push(c);

  const occupiedWithoutBooking = await sql<{
    tenant_id: string;
    device_id: string;
    space_id: string;
    last_booking_id: string | null;
    last_ended: Date | null;
    occupied_since: Date | null;
  }>`
    select d.tenant_id, d.id as device_id, s.id as space_id, d.state_changed_at as occupied_since,
           last.id as last_booking_id, last.ends_at as last_ended
    from device d
    join space s on s.tenant_id = d.tenant_id and s.lock_device_id = d.id
    join tenant t on t.id = d.tenant_id
    left join lateral (
      select b.id, b.ends_at from booking b
      where b.space_id = s.id and b.status in ('completed', 'active', 'confirmed') and b.ends_at <= ${now}
      order by b.ends_at desc limit 1) last on true
    where d.occupied
      and not exists (
        select 1 from booking b
        where b.space_id = s.id and b.status in ('confirmed', 'active')
          and b.starts_at - make_interval(mins => t.access_grace_minutes) <= ${now}
          and b.ends_at + make_interval(mins => t.access_grace_minutes) > ${now})`.execute(tx);
  for (const row of occupiedWithoutBooking.rows) {
    const overstay = row.last_ended && row.occupied_since && row.occupied_since <= row.last_ended;
    add({
      tenantId: row.tenant_id,
      kind: overstay ? 'overstay' : 'misuse',
      deviceId: row.device_id,
      spaceId: row.space_id,
      bookingId: overstay ? row.last_booking_id : null,
      detail: overstay ? 'Occupied after the booking ended' : 'Occupied without a booking',
    });
  }

  const devices = await sql<{
    tenant_id: string;
    id: string;
    kind: AlertKind;
    detail: string;
  }>`
    select d.tenant_id, d.id, 'door_open_too_long' as kind, 'Door open since ' || d.state_changed_at as detail
      from device d join tenant t on t.id = d.tenant_id
      where d.door_open and d.state_changed_at <= ${now}::timestamptz - make_interval(mins => t.door_open_alert_minutes)
    union all
    select d.tenant_id, d.id, 'battery_low', 'Battery at ' || d.battery_percent || ' %'
      from device d join tenant t on t.id = d.tenant_id
      where d.battery_percent < t.battery_low_percent
    union all
    select d.tenant_id, d.id, 'offline', 'Last seen ' || coalesce(d.last_seen_at::text, 'never')
      from device d join tenant t on t.id = d.tenant_id
      where d.online = false
        and coalesce(d.last_seen_at, '-infinity') <= ${now}::timestamptz - make_interval(mins => t.offline_alert_minutes)
    union all
    select d.tenant_id, d.id, 'jammed', 'Lock reports jammed'
      from device d where d.lock_state = 'jammed'
    union all
    select e.tenant_id, e.device_id, 'tamper', 'Tamper reported at ' || max(e.at)
      from device_event e
      where e.type = 'tamper'
        and e.at > coalesce((select max(a.resolved_at) from device_alert a
                             where a.kind = 'tamper' and a.tenant_id = e.tenant_id and a.device_id = e.device_id), '-infinity')
      group by e.tenant_id, e.device_id`.execute(tx);
  for (const d of devices.rows)
    add({ tenantId: d.tenant_id, kind: d.kind, deviceId: d.id, spaceId: null, detail: d.detail });
  return conditions;
}
