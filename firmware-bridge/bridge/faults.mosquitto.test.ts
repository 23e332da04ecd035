import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { type SimulatorFleet, startSimulatorFleet } from '../simulator/fleet.ts';
import { spawnBridgeProcess } from '../test-support/bridge-process.ts';
import { startTestMosquitto, type TestMosquitto } from '../test-support/mosquitto.ts';
import { eventually } from '../test-support/wait.ts';
import {
  BRIDGE_USER,
  commandRow,
  createWorld,
  devicePassword,
  insertCommand,
  startTestBridge,
  transitionStatuses,
  type World,
} from '../test-support/world.ts';
import type { Bridge, BridgeOptions } from './bridge.ts';
import type { BridgeMetrics } from './metrics.ts';

/** Restarts and crashes: nothing is lost, nothing is done twice. */

let world: World;
let broker: TestMosquitto;
let fleet: SimulatorFleet;
const bridges: Bridge[] = [];

beforeAll(async () => {
  world = await createWorld({ spaces: 4 });
  broker = await startTestMosquitto(world.mqttUsers);
  fleet = await startSimulatorFleet({
    db: world.db,
    url: broker.url,
    logger: world.logger,
    protocolVersion: 5,
    passwordFor: devicePassword,
    device: { doorCloseDelayMs: 100, slowAckMs: 2000 },
  });
});

afterAll(async () => {
  for (const b of bridges) await b.close().catch(() => {});
  await fleet?.close();
  await broker?.dispose();
  await world?.close();
});

async function bridge(instanceId: string, overrides: Partial<BridgeOptions> = {}) {
  const b = await startTestBridge(world, broker.url, {
    instanceId,
    outbox: { pollIntervalMs: 200, retryBaseMs: 500 },
    ...overrides,
  });
  bridges.push(b);
  return b;
}

const sum = async (m: BridgeMetrics['commandsPublished'] | BridgeMetrics['messagesIn']) =>
  (await m.get()).values.reduce((a, v) => a + v.value, 0);

describe('faults', () => {
  it('reconnects after a broker restart and delivers a command written while the broker was down', async () => {
    const b = await bridge('restart-1');
    const deviceId = world.deviceIds[0]!;
    await broker.stop('SIGKILL');
    await eventually(() => !b.connection.connected, { what: 'bridge notices the broker is gone' });
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId });
    await broker.start();
    await eventually(async () => (await commandRow(world.db, id)).status === 'acked', { timeoutMs: 20_000 });
    // A first publication may beat the device's own reconnect and go unheard; the retry reaches it.
    const statuses = await transitionStatuses(world.db, id);
    expect(statuses[0]).toBe('pending');
    expect(statuses.at(-1)).toBe('acked');
    expect(new Set(statuses.slice(1, -1))).toEqual(new Set(['sent']));
    expect(fleet.get(world.tenantId, deviceId)!.executions.get(id)).toBe(1);
    await b.close();
  });

  it('lets a new instance finish a command whose bridge was killed before the ack; executed once', async () => {
    const deviceId = world.deviceIds[1]!;
    const device = fleet.get(world.tenantId, deviceId)!;
    device.setFault('slow');
    const killed = await spawnBridgeProcess({
      DATABASE_URL: world.url,
      MQTT_URL: broker.url,
      MQTT_PASSWORD: BRIDGE_USER.password,
      BRIDGE_INSTANCE_ID: 'killed-1',
      BRIDGE_POLL_INTERVAL_MS: '200',
      BRIDGE_RETRY_BASE_MS: '500',
    });
    await killed.waitReady();
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId, ttlMs: 20_000 });
    await eventually(() => device.received.includes(id), { what: 'device received the command' });
    killed.child.kill('SIGKILL'); // published, ack still outstanding (the lock is slow)
    await killed.exited;
    expect((await commandRow(world.db, id)).status).toBe('sent');

    await bridge('successor-1');
    const row = await eventually(
      async () => {
        const r = await commandRow(world.db, id);
        return r.status === 'acked' && r;
      },
      { timeoutMs: 20_000 },
    );
    device.setFault('slow', false);
    expect(row.device_state).toBe('unlocked');
    expect(device.executions.get(id)).toBe(1);
    const statuses = await transitionStatuses(world.db, id);
    expect(statuses[0]).toBe('pending');
    expect(statuses.at(-1)).toBe('acked');
  });

  it('shares the work of two instances: each command published once, each message stored once', async () => {
    for (const b of bridges.splice(0)) await b.close();
    // The instances above keep their sessions (clean: false) and with them a place in group
    // "bridge", where Mosquitto queues their share until they return or the session expires
    // (see README). A group of its own keeps this test to the two live members. A long retry
    // delay: any second publication would be a duplicate, not a retry.
    const options = { shareGroup: 'pair', outbox: { pollIntervalMs: 100, retryBaseMs: 60_000 } };
    const a = await bridge('shared-a', options);
    const b = await bridge('shared-b', options);

    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const deviceId = world.deviceIds[i % world.deviceIds.length]!;
      ids.push(
        await insertCommand(world.db, {
          tenantId: world.tenantId,
          deviceId,
          action: i % 2 ? 'lock' : 'unlock',
        }),
      );
    }
    await eventually(
      async () => {
        const rows = await withActor(world.db, systemActor, (tx) =>
          tx.selectFrom('device_command').select('status').where('id', 'in', ids).execute(),
        );
        return rows.every((r) => r.status === 'acked');
      },
      { timeoutMs: 30_000, what: 'all commands acked' },
    );
    const received = fleet.devices.flatMap((d) => d.received).filter((id) => ids.includes(id));
    expect(received.sort()).toEqual([...ids].sort());
    expect((await sum(a.metrics.commandsPublished)) + (await sum(b.metrics.commandsPublished))).toBe(
      ids.length,
    );

    // Telemetry through the share group: both instances take some, each message is stored once.
    const deviceId = world.deviceIds[3]!;
    const sender = await mqtt.connectAsync(broker.url, {
      clientId: deviceId,
      username: deviceId,
      password: devicePassword(deviceId),
      protocolVersion: 5,
    });
    const run = randomUUID();
    const inA = await sum(a.metrics.messagesIn);
    const inB = await sum(b.metrics.messagesIn);
    try {
      for (let seq = 0; seq < 200; seq++) {
        await sender.publishAsync(
          `swf/${world.tenantId}/${deviceId}/telemetry`,
          JSON.stringify({ battery: 50, at: new Date().toISOString(), run, seq }),
          { qos: 1 },
        );
      }
    } finally {
      await sender.endAsync();
    }
    const stored = await eventually(
      async () => {
        const rows = await withActor(world.db, systemActor, (tx) =>
          tx
            .selectFrom('sensor_reading')
            .select('payload')
            .where('device_id', '=', deviceId)
            .where(sql<boolean>`payload->>'run' = ${run}`)
            .execute(),
        );
        return rows.length >= 200 && rows;
      },
      { timeoutMs: 20_000 },
    );
    const seqs = stored.map((r) => (r.payload as { seq: number }).seq);
    expect(new Set(seqs).size).toBe(200);
    expect(seqs).toHaveLength(200);
    expect((await sum(a.metrics.messagesIn)) - inA).toBeGreaterThan(0);
    expect((await sum(b.metrics.messagesIn)) - inB).toBeGreaterThan(0);
  });
});
