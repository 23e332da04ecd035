import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { fixtureBytes } from '../lorawan/fixtures.ts';
import { decodeLockCommand } from '../lorawan/lock-command.ts';
import { startTestMosquitto, type TestMosquitto } from '../test-support/mosquitto.ts';
import { eventually } from '../test-support/wait.ts';
import {
  BRIDGE_USER,
  commandRow,
  createWorld,
  deadLetters,
  deviceRow,
  insertCommand,
  startTestBridge,
  transitionStatuses,
  type World,
} from '../test-support/world.ts';
import { LORAWAN_MAX_ENVELOPE_BYTES } from './lorawan-ingest.ts';

/**
 * The test plays The Things Stack and ChirpStack: it publishes their published example
 * envelopes (lorawan/fixtures) and answers the bridge's downlinks with ack events.
 */

const CS_APP = '17c82e96-be03-4f38-aef3-f83d48582d97';
const TTS_APP = 'swf-parking@swf';
const sensors = [
  { id: 'pls-bosch-1', eui: 'fcd6bd00001936b0', profile: 'bosch-pls' },
  { id: 'nps-nwave-1', eui: '70b3d57ed0000001', profile: 'nwave-nps' },
  { id: 'nps-nwave-2', eui: '0101010101010101', profile: 'nwave-nps' },
] as const;

let world: World;
let broker: TestMosquitto;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
let ns: MqttClient;
const downlinks: { topic: string; payload: Record<string, unknown> }[] = [];

beforeAll(async () => {
  world = await createWorld({ spaces: 2 });
  const [ttsLock, csLock] = world.deviceIds as [string, string];
  await withActor(world.db, systemActor, async (tx) => {
    await tx
      .insertInto('device')
      .values(
        sensors.map((s) => ({
          tenant_id: world.tenantId,
          id: s.id,
          kind: 'sensor',
          lorawan_dev_eui: s.eui,
          lorawan_profile: s.profile,
        })),
      )
      .execute();
    await tx
      .updateTable('device')
      .set({
        lorawan_profile: 'lock',
        lorawan_dev_eui: 'a000000000000001',
        lorawan_network: 'tts',
        lorawan_application_id: 'swf-locks@swf',
        lorawan_device_id: 'lock-0001',
      })
      .where('id', '=', ttsLock)
      .execute();
    await tx
      .updateTable('device')
      .set({
        lorawan_profile: 'lock',
        lorawan_dev_eui: 'a000000000000002',
        lorawan_network: 'chirpstack',
        lorawan_application_id: CS_APP,
      })
      .where('id', '=', csLock)
      .execute();
  });
  broker = await startTestMosquitto(world.mqttUsers);
  bridge = await startTestBridge(world, broker.url, { instanceId: 'lorawan-1' });
  // The network servers' integrations talk to the broker with the bridge's grants (v3/#, application/#).
  ns = await mqtt.connectAsync(broker.url, {
    ...BRIDGE_USER,
    clientId: 'network-server',
    protocolVersion: 4,
  });
  ns.on('message', (topic, payload) => downlinks.push({ topic, payload: JSON.parse(payload.toString()) }));
  await ns.subscribeAsync(
    ['v3/+/devices/+/down/push', 'v3/+/devices/+/down/replace', 'application/+/device/+/command/down'],
    { qos: 1 },
  );
});

afterAll(async () => {
  await ns?.endAsync();
  await bridge?.close();
  await broker?.dispose();
  await world?.close();
});

const publish = (topic: string, payload: Buffer | string) => ns.publishAsync(topic, payload, { qos: 0 });

async function readingsOf(deviceId: string) {
  return withActor(world.db, systemActor, (tx) =>
    tx
      .selectFrom('sensor_reading')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('received_at')
      .execute(),
  );
}

async function eventsOf(deviceId: string) {
  return withActor(world.db, systemActor, (tx) =>
    tx.selectFrom('device_event').selectAll().where('device_id', '=', deviceId).execute(),
  );
}

describe('LoRaWAN uplinks become occupancy state and readings', () => {
  it('TTS Bosch start-up: occupied, a reading and a startup event', async () => {
    await publish(`v3/${TTS_APP}/devices/bosch-pls-0001/up`, fixtureBytes('tts/uplink.bosch-startup.json'));
    const [reading] = await eventually(async () => {
      const rows = await readingsOf('pls-bosch-1');
      return rows.length === 1 && rows;
    });
    expect(reading).toMatchObject({
      occupied: true,
      payload: { report: 'startup', source: 'lorawan-tts', fPort: 3 },
    });
    const events = await eventsOf('pls-bosch-1');
    expect(events.map((e) => e.type)).toEqual(['startup']);
    expect(events[0]?.payload).toMatchObject({ firmware: '0.29.2', resetCause: 'system_request' });
    expect(await deviceRow(world.db, world.tenantId, 'pls-bosch-1')).toMatchObject({ occupied: true });
  });

  it('ChirpStack Bosch heartbeat for the same sensor adds a reading', async () => {
    await publish(
      `application/${CS_APP}/device/fcd6bd00001936b0/event/up`,
      fixtureBytes('chirpstack/up.bosch-heartbeat.json'),
    );
    const rows = await eventually(async () => {
      const r = await readingsOf('pls-bosch-1');
      return r.length === 2 && r;
    });
    expect(rows.map((r) => r.payload)).toContainEqual(
      expect.objectContaining({ report: 'heartbeat', temperatureC: -1, source: 'lorawan-chirpstack' }),
    );
  });

  it('TTS Nwave status and ChirpStack Nwave heartbeat', async () => {
    await publish(`v3/${TTS_APP}/devices/nwave-nps-0001/up`, fixtureBytes('tts/uplink.nwave-status.json'));
    await publish(
      `application/${CS_APP}/device/0101010101010101/event/up`,
      fixtureBytes('chirpstack/up.nwave-heartbeat.json'),
    );
    const [status] = await eventually(async () => {
      const r = await readingsOf('nps-nwave-1');
      return r.length === 1 && r;
    });
    expect(status).toMatchObject({ occupied: true, payload: { report: 'occupancy' } });
    const [heartbeat] = await eventually(async () => {
      const r = await readingsOf('nps-nwave-2');
      return r.length === 1 && r;
    });
    expect(heartbeat).toMatchObject({
      occupied: false,
      battery_percent: null,
      payload: { report: 'heartbeat', batteryVoltageMv: 3344, batteryHealth: 'normal', temperatureC: -10 },
    });
    expect(await deviceRow(world.db, world.tenantId, 'nps-nwave-1')).toMatchObject({ occupied: true });
    const nwave2 = await deviceRow(world.db, world.tenantId, 'nps-nwave-2');
    expect(nwave2.occupied).toBe(false);
    expect(nwave2.last_seen_at).not.toBeNull();
  });
});

describe('what cannot be used lands in dead_letter', () => {
  async function deadLetterOn(topic: string) {
    return eventually(async () => (await deadLetters(world.db)).find((d) => d.topic === topic), {
      what: `dead letter on ${topic}`,
    });
  }

  it('unknown DevEUI', async () => {
    const topic = 'v3/app1/devices/dev1/up';
    await publish(topic, fixtureBytes('tts/uplink.docs-mqtt.json'));
    expect((await deadLetterOn(topic)).reason).toBe('unknown_device: DevEUI 4200000000000000');
  });

  it('payload the profile cannot decode, broken JSON, an envelope without a device, oversized', async () => {
    const startup = JSON.parse(fixtureBytes('tts/uplink.bosch-startup.json').toString());
    startup.uplink_message.frm_payload = 'AQ=='; // fPort 3 with one byte
    const short = `v3/${TTS_APP}/devices/bosch-pls-0001/up`;
    await publish(short, JSON.stringify(startup));
    expect((await deadLetterOn(short)).reason).toMatch(/^undecodable_payload: bosch-pls bad_length/);

    const broken = `application/${CS_APP}/device/0101010101010101/event/up`;
    await publish(broken, '{"deviceInfo": ');
    expect((await deadLetterOn(broken)).reason).toMatch(/^malformed_json: lorawan malformed_json/);

    const empty = `v3/${TTS_APP}/devices/nwave-nps-0001/up`;
    await publish(empty, '{}');
    expect((await deadLetterOn(empty)).reason).toMatch(/^schema_mismatch: lorawan /);

    const big = `application/${CS_APP}/device/70b3d57ed0000001/event/up`;
    await publish(big, Buffer.alloc(LORAWAN_MAX_ENVELOPE_BYTES + 1, 0x20));
    expect((await deadLetterOn(big)).reason).toBe(
      `oversized: ${LORAWAN_MAX_ENVELOPE_BYTES + 1} bytes > ${LORAWAN_MAX_ENVELOPE_BYTES}`,
    );
    // The bridge is still there: a good uplink after all that is stored.
    const before = (await readingsOf('nps-nwave-1')).length;
    await publish(`v3/${TTS_APP}/devices/nwave-nps-0001/up`, fixtureBytes('tts/uplink.nwave-status.json'));
    await eventually(async () => (await readingsOf('nps-nwave-1')).length === before + 1);
  });
});

describe('downlinks to LoRaWAN locks, settled by the network server ack events', () => {
  const downlinkFor = (commandId: string) =>
    eventually(() => downlinks.find((d) => JSON.stringify(d.payload).includes(commandId)), {
      what: `downlink for ${commandId}`,
    });

  function lockBytes(d: { topic: string; payload: Record<string, unknown> }) {
    const b64 = d.topic.startsWith('v3/')
      ? (d.payload.downlinks as { frm_payload: string }[])[0]!.frm_payload
      : (d.payload.data as string);
    const decoded = decodeLockCommand(Buffer.from(b64, 'base64'));
    if (!decoded.ok) throw new Error(decoded.error.message);
    return decoded.value;
  }

  it('TTS: down/push with our correlation id, down/ack → acked; down/nack → failed', async () => {
    const lock = world.deviceIds[0]!;
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: lock });
    const push = await downlinkFor(id);
    expect(push.topic).toBe('v3/swf-locks@swf/devices/lock-0001/down/push');
    const [downlink] = push.payload.downlinks as {
      correlation_ids: string[];
      f_port: number;
      confirmed: boolean;
    }[];
    expect(downlink).toMatchObject({ correlation_ids: [`swf:cmd:${id}`], f_port: 10, confirmed: true });
    expect(lockBytes(push)).toEqual({ action: 'unlock', sequence: 1 });

    const ack = (event: 'ack' | 'nack', commandId: string) => ({
      end_device_ids: { device_id: 'lock-0001', application_ids: { application_id: 'swf-locks' } },
      correlation_ids: [`swf:cmd:${commandId}`, 'as:downlink:01E19B99501X84X6CV471TVSZ1'],
      [`downlink_${event}`]: { f_port: 10, confirmed: true, correlation_ids: [`swf:cmd:${commandId}`] },
    });
    await publish('v3/swf-locks@swf/devices/lock-0001/down/ack', JSON.stringify(ack('ack', id)));
    await eventually(async () => (await commandRow(world.db, id)).status === 'acked');
    expect(await transitionStatuses(world.db, id)).toEqual(['pending', 'sent', 'acked']);

    const second = await insertCommand(world.db, {
      tenantId: world.tenantId,
      deviceId: lock,
      action: 'lock',
    });
    expect(lockBytes(await downlinkFor(second))).toEqual({ action: 'lock', sequence: 2 });
    await publish('v3/swf-locks@swf/devices/lock-0001/down/nack', JSON.stringify(ack('nack', second)));
    await eventually(async () => (await commandRow(world.db, second)).status === 'failed');
    expect(await transitionStatuses(world.db, second)).toEqual(['pending', 'sent', 'failed']);
    // A late ack for the failed command changes nothing.
    await publish('v3/swf-locks@swf/devices/lock-0001/down/ack', JSON.stringify(ack('ack', second)));
    await bridge.ingest.flush();
    expect((await commandRow(world.db, second)).status).toBe('failed');
  });

  it('TTS: a command that expires unanswered is cleared from the queue with an empty down/replace', async () => {
    const lock = world.deviceIds[0]!;
    const replaceTopic = 'v3/swf-locks@swf/devices/lock-0001/down/replace';
    const clearsBefore = downlinks.filter((d) => d.topic === replaceTopic).length;
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: lock, ttlMs: 1000 });
    await downlinkFor(id);
    await eventually(async () => (await commandRow(world.db, id)).status === 'expired', {
      timeoutMs: 10_000,
      what: 'command expired',
    });
    const clears = await eventually(
      () => {
        const found = downlinks.filter((d) => d.topic === replaceTopic);
        return found.length > clearsBefore && found;
      },
      { what: 'down/replace' },
    );
    expect(clears.at(-1)!.payload).toEqual({ downlinks: [] });
  });

  it('ChirpStack: command/down with our id, event/ack acknowledged → acked; not acknowledged → failed', async () => {
    const lock = world.deviceIds[1]!;
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: lock });
    const down = await downlinkFor(id);
    expect(down.topic).toBe(`application/${CS_APP}/device/a000000000000002/command/down`);
    expect(down.payload).toMatchObject({ id, devEui: 'a000000000000002', confirmed: true, fPort: 10 });
    expect(lockBytes(down)).toEqual({ action: 'unlock', sequence: 1 });

    const event = (queueItemId: string, acknowledged: boolean) => ({
      deviceInfo: { applicationId: CS_APP, devEui: 'a000000000000002' },
      queueItemId,
      ...(acknowledged && { acknowledged }),
      fCntDown: 3,
    });
    const ackTopic = `application/${CS_APP}/device/a000000000000002/event/ack`;
    await publish(ackTopic, JSON.stringify(event(id, true)));
    await eventually(async () => (await commandRow(world.db, id)).status === 'acked');
    expect(await transitionStatuses(world.db, id)).toEqual(['pending', 'sent', 'acked']);

    const second = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: lock });
    await downlinkFor(second);
    // An ack naming this command on another device's topic is not trusted.
    const foreign = `application/${CS_APP}/device/0101010101010101/event/ack`;
    await publish(
      foreign,
      JSON.stringify({ ...event(second, true), deviceInfo: { devEui: '0101010101010101' } }),
    );
    await eventually(async () => (await deadLetters(world.db)).find((d) => d.topic === foreign));
    expect((await commandRow(world.db, second)).status).toBe('sent');
    await publish(ackTopic, JSON.stringify(event(second, false)));
    await eventually(async () => (await commandRow(world.db, second)).status === 'failed');
  });
});
