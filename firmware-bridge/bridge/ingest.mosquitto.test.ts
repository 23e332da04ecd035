import { sql } from 'kysely';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { MAX_PAYLOAD_BYTES } from '../contract/payloads.ts';
import { startTestMosquitto, type TestMosquitto } from '../test-support/mosquitto.ts';
import { eventually } from '../test-support/wait.ts';
import {
  BRIDGE_USER,
  createWorld,
  deadLetters,
  devicePassword,
  deviceRow,
  startTestBridge,
  type World,
} from '../test-support/world.ts';
import { ingestRepository } from './ingest.repository.ts';
import type { BridgeMetrics } from './metrics.ts';

/** What devices send, stored or dead-lettered, while the bridge keeps running. */

let world: World;
let broker: TestMosquitto;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
let metrics: BridgeMetrics;
let raw: MqttClient;

beforeAll(async () => {
  world = await createWorld({ spaces: 2 });
  broker = await startTestMosquitto(world.mqttUsers);
  bridge = await startTestBridge(world, broker.url, { instanceId: 'ingest-1' });
  metrics = bridge.metrics;
  // The bridge user may publish anywhere under swf/: handy for topics no device could use.
  raw = await mqtt.connectAsync(broker.url, {
    ...BRIDGE_USER,
    clientId: 'raw-publisher',
    protocolVersion: 5,
  });
});

afterAll(async () => {
  await raw?.endAsync();
  await bridge?.close();
  await broker?.dispose();
  await world?.close();
});

const now = () => new Date().toISOString();
const topic = (kind: string, deviceId = world.deviceIds[0]!, tenantId = world.tenantId) =>
  `swf/${tenantId}/${deviceId}/${kind}`;

async function readings(deviceId: string) {
  return withActor(world.db, systemActor, (tx) =>
    tx.selectFrom('sensor_reading').selectAll().where('device_id', '=', deviceId).execute(),
  );
}

async function deadLetterFor(t: string) {
  return eventually(async () => (await deadLetters(world.db)).filter((d) => d.topic === t).at(-1), {
    what: `dead letter on ${t}`,
  });
}

/** A telemetry payload of exactly `bytes` bytes (padding in an extra field, which is allowed). */
function telemetryOfSize(bytes: number, battery: number): string {
  const base = JSON.stringify({ battery, at: now(), pad: '' });
  const json = JSON.stringify({ battery, at: now(), pad: 'x'.repeat(bytes - Buffer.byteLength(base)) });
  expect(Buffer.byteLength(json)).toBe(bytes);
  return json;
}

describe('ingest', () => {
  it(`accepts a payload of exactly ${MAX_PAYLOAD_BYTES} bytes and dead-letters one byte more`, async () => {
    const deviceId = world.deviceIds[0]!;
    await raw.publishAsync(topic('telemetry'), telemetryOfSize(MAX_PAYLOAD_BYTES, 61), { qos: 1 });
    await eventually(
      async () => (await deviceRow(world.db, world.tenantId, deviceId)).battery_percent === 61,
    );

    const t = topic('telemetry', world.deviceIds[1]!);
    await raw.publishAsync(t, telemetryOfSize(MAX_PAYLOAD_BYTES + 1, 62), { qos: 1 });
    const dead = await deadLetterFor(t);
    expect(dead.reason).toBe(`oversized: ${MAX_PAYLOAD_BYTES + 1} bytes > ${MAX_PAYLOAD_BYTES}`);
    expect(Buffer.byteLength(dead.payload)).toBe(MAX_PAYLOAD_BYTES);
    expect(await readings(world.deviceIds[1]!)).toHaveLength(0);
  });

  it('dead-letters malformed JSON, schema mismatches, NUL bytes and bad topics, and goes on', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      [topic('event'), '{"type": "door_opened", "at": ', /^malformed_json: /],
      [topic('event'), JSON.stringify({ type: 'explode', at: now() }), /^schema_mismatch: type: /],
      [topic('telemetry'), JSON.stringify({ battery: 101, at: now() }), /^schema_mismatch: battery: /],
      [
        topic('ack'),
        JSON.stringify({ cmdId: 'nope', result: 'ok', state: 'locked', at: now() }),
        /^schema_mismatch: cmdId/,
      ],
      [topic('status'), 'maybe', /^schema_mismatch: status must be online or offline/],
      [topic('event'), JSON.stringify({ type: 'button', at: now(), note: 'a\u0000b' }), /U\+0000/],
      [topic('event'), Buffer.from([0xff, 0x00, 0xfe, 0x7b]), /^malformed_json: /],
      [
        `swf/NOT-A-TENANT/${world.deviceIds[0]}/event`,
        JSON.stringify({ type: 'button', at: now() }),
        /^invalid_topic/,
      ],
    ];
    const before = (await deadLetters(world.db)).length;
    for (const [t, payload] of cases) await raw.publishAsync(t, payload, { qos: 1 });
    const rows = await eventually(async () => {
      const all = await deadLetters(world.db);
      return all.length >= before + cases.length && all.slice(before);
    });
    expect(rows).toHaveLength(cases.length);
    cases.forEach(([t, , reason], i) => {
      const row = rows.find((r) => r.topic === t && reason.test(r.reason));
      expect(row, `dead letter ${i} (${reason})`).toBeDefined();
    });
    // NUL is replaced, not stored (PostgreSQL text cannot hold it).
    expect(rows.every((r) => !r.payload.includes('\u0000'))).toBe(true);

    // Still running: a good message after the bad ones is stored.
    await raw.publishAsync(topic('event'), JSON.stringify({ type: 'tamper', at: now() }), { qos: 1 });
    await eventually(async () => {
      const events = await withActor(world.db, systemActor, (tx) =>
        // payload->>'type': the payload is stored as a JSON object, not as a JSON string.
        tx
          .selectFrom('device_event')
          .select('type')
          .where(sql<boolean>`payload->>'type' = 'tamper'`)
          .execute(),
      );
      return events.length === 1;
    });
    expect(bridge.connection.connected).toBe(true);
  });

  it('dead-letters messages of unknown devices and of a device under the wrong tenant', async () => {
    const unknown = topic('telemetry', 'lock-does-not-exist');
    const wrongTenant = topic('telemetry', world.deviceIds[0]!, 'menden');
    const body = JSON.stringify({ occupied: true, at: now() });
    await raw.publishAsync(unknown, body, { qos: 1 });
    await raw.publishAsync(wrongTenant, body, { qos: 1 });
    expect((await deadLetterFor(unknown)).reason).toBe(
      `unknown_device: ${world.tenantId}/lock-does-not-exist`,
    );
    expect((await deadLetterFor(wrongTenant)).reason).toBe(`unknown_device: menden/${world.deviceIds[0]}`);
    const ackOfUnknown = topic('ack', 'lock-ghost');
    await raw.publishAsync(
      ackOfUnknown,
      JSON.stringify({ cmdId: crypto.randomUUID(), result: 'ok', state: 'locked', at: now() }),
      { qos: 1 },
    );
    expect((await deadLetterFor(ackOfUnknown)).reason).toMatch(/^unknown_device/);
    expect(await metrics.deadLetters.get()).toMatchObject({
      values: expect.arrayContaining([
        expect.objectContaining({ labels: { reason: 'unknown_device' }, value: 3 }),
      ]),
    });
  });

  it('writes a burst in batches: one INSERT for many messages', async () => {
    const deviceId = world.deviceIds[1]!;
    const device = await mqtt.connectAsync(broker.url, {
      clientId: deviceId,
      username: deviceId,
      password: devicePassword(deviceId),
      protocolVersion: 5,
    });
    const spy = vi.spyOn(ingestRepository, 'insertReadings');
    try {
      const burst = 1000;
      await Promise.all(
        Array.from({ length: burst }, (_, i) =>
          device.publishAsync(topic('telemetry', deviceId), JSON.stringify({ battery: i % 100, at: now() }), {
            qos: 1,
          }),
        ),
      );
      await eventually(async () => (await readings(deviceId)).length === burst, { timeoutMs: 30_000 });
      const rowsPerInsert = spy.mock.calls.map(([, rows]) => rows.length).filter((n) => n > 0);
      expect(rowsPerInsert.reduce((a, b) => a + b, 0)).toBe(burst);
      expect(rowsPerInsert.length).toBeLessThan(burst / 10);
    } finally {
      spy.mockRestore();
      await device.endAsync();
    }
  });

  it('follows retained status: online on connect, offline from the Last Will', async () => {
    const deviceId = world.deviceIds[0]!;
    const device = await mqtt.connectAsync(broker.url, {
      clientId: deviceId,
      username: deviceId,
      password: devicePassword(deviceId),
      protocolVersion: 5,
      reconnectPeriod: 0,
      will: { topic: topic('status', deviceId), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    await device.publishAsync(topic('status', deviceId), 'online', { qos: 1, retain: true });
    await eventually(async () => (await deviceRow(world.db, world.tenantId, deviceId)).online === true);
    device.stream.destroy(); // a crash: no DISCONNECT, so the broker publishes the will
    await eventually(async () => (await deviceRow(world.db, world.tenantId, deviceId)).online === false);
    await device.endAsync(true);
  });

  it("announces itself retained on swf/bridge/{instanceId}/status and ignores the bridges' status", async () => {
    const seen = await new Promise<string>((resolve) => {
      raw.once('message', (_t, payload) => resolve(payload.toString()));
      void raw.subscribeAsync('swf/bridge/ingest-1/status', { qos: 1 });
    });
    expect(seen).toBe('online');
    await raw.unsubscribeAsync('swf/bridge/ingest-1/status');
    expect((await deadLetters(world.db)).some((d) => d.topic.startsWith('swf/bridge/'))).toBe(false);
  });
});
