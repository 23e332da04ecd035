import { sql } from 'kysely';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { type SimulatorFleet, startSimulatorFleet } from '../simulator/fleet.ts';
import { startTestMosquitto, type TestMosquitto } from '../test-support/mosquitto.ts';
import { eventually } from '../test-support/wait.ts';
import {
  collectNotifications,
  commandRow,
  createWorld,
  devicePassword,
  deviceRow,
  insertCommand,
  startTestBridge,
  transitionStatuses,
  type World,
} from '../test-support/world.ts';
import type { Bridge } from './bridge.ts';

/** Commands out, acks in, through the project's Mosquitto configuration and ACL. */

let world: World;
let broker: TestMosquitto;
let bridge: Bridge;
let fleet: SimulatorFleet;

beforeAll(async () => {
  world = await createWorld({ spaces: 3 });
  broker = await startTestMosquitto(world.mqttUsers);
  bridge = await startTestBridge(world, broker.url, { instanceId: 'delivery-1' });
  fleet = await startSimulatorFleet({
    db: world.db,
    url: broker.url,
    logger: world.logger,
    protocolVersion: 5,
    passwordFor: devicePassword,
    device: { doorCloseDelayMs: 300 },
  });
});

afterAll(async () => {
  await fleet?.close();
  await bridge?.close();
  await broker?.dispose();
  await world?.close();
});

describe('command delivery over Mosquitto', () => {
  it('delivers a command written like the API does and records pending → sent → acked', async () => {
    const deviceId = world.deviceIds[0]!;
    const notes = await collectNotifications(world.database, 'device_command_changed');
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId });

    const row = await eventually(async () => {
      const r = await commandRow(world.db, id);
      return r.status === 'acked' && r;
    });
    expect(row.device_state).toBe('unlocked');
    expect(row.attempts).toBe(1);
    expect(await transitionStatuses(world.db, id)).toEqual(['pending', 'sent', 'acked']);
    await eventually(() => notes.seen.some((n) => (n as { status: string }).status === 'acked'), {
      what: 'acked notification',
    });
    expect(notes.seen).toContainEqual({ id, status: 'sent', deviceState: null });
    expect(notes.seen).toContainEqual({ id, status: 'acked', deviceState: 'unlocked' });
    await notes.unlisten();
    expect(fleet.get(world.tenantId, deviceId)!.executions.get(id)).toBe(1);

    // The simulator then reports the door cycle and occupancy; the bridge stores them.
    await eventually(async () => {
      const d = await deviceRow(world.db, world.tenantId, deviceId);
      return d.online === true && d.door_open === false && d.occupied === true && d.lock_state !== null && d;
    });
    const events = await withActor(world.db, systemActor, (tx) =>
      tx.selectFrom('device_event').select('type').where('device_id', '=', deviceId).orderBy('id').execute(),
    );
    expect(events.map((e) => e.type)).toEqual(['door_opened', 'door_closed']);
  });

  it('retries an unanswered command with backoff and expires it', async () => {
    const deviceId = world.deviceIds[1]!;
    fleet.setFault(world.tenantId, deviceId, 'no_answer');
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId, ttlMs: 2500 });
    const row = await eventually(async () => {
      const r = await commandRow(world.db, id);
      return r.status === 'expired' && r;
    });
    // At least one retry; how many fit into the lifetime depends on how busy the machine is.
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    const statuses = await transitionStatuses(world.db, id);
    expect(statuses[0]).toBe('pending');
    expect(statuses.at(-1)).toBe('expired');
    expect(new Set(statuses.slice(1, -1))).toEqual(new Set(['sent']));
    fleet.setFault(world.tenantId, deviceId, 'no_answer', false);
  });

  it('fails a command to a device without a secret', async () => {
    const deviceId = world.deviceIds[2]!;
    await withActor(
      world.db,
      systemActor,
      (tx) => sql`update device set secret = null where id = ${deviceId}`.execute(tx),
      { dbRole: 'swf_bridge' },
    );
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId });
    await eventually(async () => (await commandRow(world.db, id)).status === 'failed');
    expect(await transitionStatuses(world.db, id)).toEqual(['pending', 'failed']);
  });

  it('records a jammed lock as failed with state jammed', async () => {
    const deviceId = world.deviceIds[0]!;
    fleet.setFault(world.tenantId, deviceId, 'jammed');
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId });
    const row = await eventually(async () => {
      const r = await commandRow(world.db, id);
      return r.status === 'failed' && r;
    });
    expect(row.device_state).toBe('jammed');
    await eventually(
      async () => (await deviceRow(world.db, world.tenantId, deviceId)).lock_state === 'jammed',
    );
    fleet.setFault(world.tenantId, deviceId, 'jammed', false);
  });
});

describe('the ACL of the project', () => {
  it("keeps a device from publishing another device's ack and from reading its commands", async () => {
    const [a, b] = world.deviceIds as [string, string];
    const attacker = await mqtt.connectAsync(broker.url, {
      clientId: a,
      username: a,
      password: devicePassword(a),
      protocolVersion: 5,
    });
    try {
      // Reading: Mosquitto 2.0 may grant the subscription, but delivers nothing the ACL denies.
      const received: string[] = [];
      attacker.on('message', (topic) => received.push(topic));
      const granted = await attacker.subscribeAsync(`swf/${world.tenantId}/${b}/cmd`, { qos: 1 });
      expect([1, 128]).toContain(granted[0]?.qos);

      // Writing: Mosquitto drops an unauthorised PUBLISH; the bridge never sees a's ack for b.
      fleet.setFault(world.tenantId, b, 'no_answer');
      const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: b });
      await eventually(() => fleet.get(world.tenantId, b)!.received.includes(id), {
        what: 'b got its command',
      });
      const forged = JSON.stringify({
        cmdId: id,
        result: 'ok',
        state: 'unlocked',
        at: new Date().toISOString(),
      });
      await attacker.publishAsync(`swf/${world.tenantId}/${b}/ack`, forged, { qos: 1 }).catch(() => {});
      // Control: the same client may publish its own telemetry, and that arrives.
      const telemetry = JSON.stringify({ battery: 42, at: new Date().toISOString() });
      await attacker.publishAsync(`swf/${world.tenantId}/${a}/telemetry`, telemetry, { qos: 1 });
      await eventually(async () => (await deviceRow(world.db, world.tenantId, a)).battery_percent === 42);
      expect((await commandRow(world.db, id)).status).toBe('sent');
      expect(received).toEqual([]);
      fleet.setFault(world.tenantId, b, 'no_answer', false);
      await eventually(async () => (await commandRow(world.db, id)).status === 'acked');
    } finally {
      await attacker.endAsync();
    }
  });
});
