import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/core/clock.ts';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

const clock = new ManualClock(new Date());
const platform = useTestPlatform({ clock });

const minute = 60_000;
const ALERTS = `query($open: Boolean) { deviceAlerts(openOnly: $open) { edges { node { kind deviceId spaceId bookingId resolvedAt } } } }`;

/** What the bridge writes when a sensor reports: device state plus a reading. */
async function report(
  tenantId: string,
  deviceId: string,
  state: { occupied?: boolean; doorOpen?: boolean; battery?: number; online?: boolean },
  at: Date,
) {
  await sql`
    update device set occupied = coalesce(${state.occupied ?? null}, occupied), door_open = coalesce(${state.doorOpen ?? null}, door_open),
      battery_percent = coalesce(${state.battery ?? null}, battery_percent), online = coalesce(${state.online ?? null}, online),
      last_seen_at = ${at}, state_changed_at = ${at}
    where tenant_id = ${tenantId} and id = ${deviceId}`.execute(platform.database.db);
  if (state.occupied !== undefined) {
    await sql`insert into sensor_reading (tenant_id, device_id, at, occupied) values (${tenantId}, ${deviceId}, ${at}, ${state.occupied})`.execute(
      platform.database.db,
    );
  }
}

async function confirmed(spaceId: string, from: Date, to: Date) {
  const commuter = await platform.commuter();
  const created = await platform.gql(
    CREATE_BOOKING,
    { input: { spaceId, from, to, idempotencyKey: 'r' } },
    commuter.token,
  );
  const id = created.data.createBooking.id as string;
  await platform.gql(`mutation($id: ID!) { confirmBooking(id: $id) { __typename } }`, { id }, commuter.token);
  return { id, commuter };
}

describe('occupancy reconciliation (thresholds per town)', () => {
  it('a booking whose space never reports occupied within the grace becomes NO_SHOW; one that does stays', async () => {
    const { spaces } = await createGarage(platform.database.db, {
      tenantId: 'menden',
      spaces: { STANDARD: 2 },
    });
    const [empty, used] = spaces as [(typeof spaces)[0], (typeof spaces)[0]];
    for (const s of spaces) await report('menden', s.lockDeviceId!, { occupied: false }, clock.now());
    const from = new Date(clock.now().getTime() + minute);
    const a = await confirmed(empty.id, from, hoursFromNow(4, clock.now()));
    const b = await confirmed(used.id, from, hoursFromNow(4, clock.now()));
    clock.advance(5 * minute);
    await report('menden', used.lockDeviceId!, { occupied: true }, clock.now());
    clock.advance(20 * minute); // 24 min after start: inside the default 30 min grace
    await platform.runBackgroundOnce();
    expect(
      (await platform.gql('query($id: ID!) { booking(id: $id) { status } }', { id: a.id }, a.commuter.token))
        .data.booking.status,
    ).toBe('ACTIVE');
    clock.advance(7 * minute);
    await platform.runBackgroundOnce();
    const status = async (x: typeof a) =>
      (await platform.gql('query($id: ID!) { booking(id: $id) { status } }', { id: x.id }, x.commuter.token))
        .data.booking.status;
    expect(await status(a)).toBe('NO_SHOW');
    expect(await status(b)).toBe('ACTIVE');
  });

  it('occupied without a booking is misuse; occupied after the booking ended is overstay; both clear when the box empties', async () => {
    const operator = await platform.staff('olpe', 'operator');
    const { spaces } = await createGarage(platform.database.db, {
      tenantId: 'olpe',
      spaces: { STANDARD: 2 },
    });
    const [free, booked] = spaces as [(typeof spaces)[0], (typeof spaces)[0]];
    await report('olpe', free.lockDeviceId!, { occupied: true }, clock.now());
    const from = new Date(clock.now().getTime() + minute);
    await confirmed(booked.id, from, new Date(from.getTime() + 60 * minute));
    clock.advance(2 * minute);
    await report('olpe', booked.lockDeviceId!, { occupied: true }, clock.now());
    await platform.runBackgroundOnce();
    let open = (await platform.gql(ALERTS, { open: true }, operator.token)).data.deviceAlerts.edges.map(
      (e: any) => e.node,
    );
    expect(open.map((a: any) => [a.kind, a.spaceId])).toEqual([['MISUSE', free.id]]);

    clock.advance(60 * minute + 16 * minute); // past the end plus the 15 min grace
    await platform.runBackgroundOnce();
    open = (await platform.gql(ALERTS, { open: true }, operator.token)).data.deviceAlerts.edges.map(
      (e: any) => e.node,
    );
    expect(open.map((a: any) => a.kind).sort()).toEqual(['MISUSE', 'OVERSTAY']);

    await report('olpe', free.lockDeviceId!, { occupied: false }, clock.now());
    await report('olpe', booked.lockDeviceId!, { occupied: false }, clock.now());
    await platform.runBackgroundOnce();
    expect((await platform.gql(ALERTS, { open: true }, operator.token)).data.deviceAlerts.edges).toEqual([]);
    const history = (await platform.gql(ALERTS, { open: false }, operator.token)).data.deviceAlerts.edges;
    expect(history.every((e: any) => e.node.resolvedAt !== null)).toBe(true);
    // Soest staff see none of Olpe's alerts.
    const soest = await platform.staff('soest', 'operator');
    expect((await platform.gql(ALERTS, { open: false }, soest.token)).data.deviceAlerts.edges).toEqual([]);
  });

  it('door open too long, low battery and offline use the town’s thresholds', async () => {
    await sql`update tenant set door_open_alert_minutes = 3, battery_low_percent = 30, offline_alert_minutes = 5 where id = 'soest'`.execute(
      platform.database.db,
    );
    const operator = await platform.staff('soest', 'operator');
    const { spaces } = await createGarage(platform.database.db, {
      tenantId: 'soest',
      spaces: { STANDARD: 3 },
    });
    const [door, battery, offline] = spaces.map((s) => s.lockDeviceId!) as [string, string, string];
    await report('soest', door, { doorOpen: true }, clock.now());
    await report('soest', battery, { battery: 25 }, clock.now());
    await report('soest', offline, { online: false }, clock.now());
    clock.advance(2 * minute);
    await platform.runBackgroundOnce();
    let kinds = (await platform.gql(ALERTS, {}, operator.token)).data.deviceAlerts.edges.map((e: any) => [
      e.node.kind,
      e.node.deviceId,
    ]);
    expect(kinds).toEqual([['BATTERY_LOW', battery]]);
    clock.advance(4 * minute);
    await platform.runBackgroundOnce();
    kinds = (await platform.gql(ALERTS, {}, operator.token)).data.deviceAlerts.edges
      .map((e: any) => e.node.kind)
      .sort();
    expect(kinds).toEqual(['BATTERY_LOW', 'DOOR_OPEN_TOO_LONG', 'OFFLINE']);
    // Raising again is a no-op: still one alert per condition.
    await platform.runBackgroundOnce();
    expect((await platform.gql(ALERTS, {}, operator.token)).data.deviceAlerts.edges).toHaveLength(3);
  });
});
