import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge } from '../../firmware-bridge/bridge/bridge.ts';
import { createBridgeMetrics } from '../../firmware-bridge/bridge/metrics.ts';
import { type EmbeddedBridge, startEmbeddedBridge } from '../../firmware-bridge/embedded.ts';
import { provisionDeviceSecrets } from '../../firmware-bridge/provisioning.ts';
import { startSimulatorFleet } from '../../firmware-bridge/simulator/fleet.ts';
import { startTestMosquitto } from '../../firmware-bridge/test-support/mosquitto.ts';
import { eventually } from '../../firmware-bridge/test-support/wait.ts';
import { BRIDGE_USER, devicePassword } from '../../firmware-bridge/test-support/world.ts';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';

const UNLOCK = `mutation($id: ID!) { unlock(bookingId: $id) { __typename
  ... on LockCommand { id status deviceState transitions { status } }
  ... on DeviceUnreachableError { commandId } ... on Error { message } } }`;

type Platform = Awaited<ReturnType<typeof createTestPlatform>>;

async function bookedBox(platform: Platform, tenantId = 'arnsberg') {
  const { spaces } = await createGarage(platform.database.db, { tenantId, spaces: { STANDARD: 1 } });
  await provisionDeviceSecrets(platform.database.db);
  const commuter = await platform.commuter();
  const created = await platform.gql(
    CREATE_BOOKING,
    { input: { spaceId: spaces[0]!.id, from: new Date(), to: hoursFromNow(3), idempotencyKey: 'rt' } },
    commuter.token,
  );
  const id = created.data.createBooking.id as string;
  await platform.gql(`mutation($id: ID!) { confirmBooking(id: $id) { __typename } }`, { id }, commuter.token);
  return { id, commuter, space: spaces[0]!, deviceId: spaces[0]!.lockDeviceId! };
}

async function doorEvents(platform: Platform, deviceId: string) {
  return platform.database.db
    .selectFrom('device_event')
    .select('type')
    .where('device_id', '=', deviceId)
    .orderBy('id')
    .execute();
}

describe('unlock round trip: GraphQL → outbox → bridge → MQTT → simulated lock → ack → answer (embedded broker)', () => {
  let platform: Platform;
  let devices: EmbeddedBridge;
  beforeAll(async () => {
    platform = await createTestPlatform();
    devices = await startEmbeddedBridge({
      database: platform.database,
      logger: platform.logger,
      port: 0,
      simulate: false,
    });
  });
  afterAll(async () => {
    await devices?.close();
    await platform?.dropDatabase();
  });

  it('the owner unlocks: ACKED with the lock state, every transition on record, the door-open event stored', async () => {
    const box = await bookedBox(platform);
    const fleet = await startSimulatorFleet({
      db: platform.database.db,
      url: devices.mqttUrl,
      logger: platform.logger,
      protocolVersion: 4,
      only: [{ tenantId: 'arnsberg', deviceId: box.deviceId }],
    });
    try {
      const result = await platform.gql(UNLOCK, { id: box.id }, box.commuter.token);
      expect(result.data.unlock).toMatchObject({
        __typename: 'LockCommand',
        status: 'ACKED',
        deviceState: 'unlocked',
        transitions: [{ status: 'PENDING' }, { status: 'SENT' }, { status: 'ACKED' }],
      });
      await eventually(async () =>
        (await doorEvents(platform, box.deviceId)).some((e) => e.type === 'door_opened'),
      );

      // A jammed lock answers, and the answer reaches the commuter.
      fleet.setFault('arnsberg', box.deviceId, 'jammed');
      const jammed = await platform.gql(UNLOCK, { id: box.id }, box.commuter.token);
      expect(jammed.data.unlock).toMatchObject({ __typename: 'LockCommand', status: 'FAILED' });
      fleet.setFault('arnsberg', box.deviceId, 'jammed', false);

      // A lock that does not answer: the commuter is told, the command expires and never runs later.
      fleet.setFault('arnsberg', box.deviceId, 'no_answer');
      const silent = await platform.gql(UNLOCK, { id: box.id }, box.commuter.token);
      expect(silent.data.unlock.__typename).toBe('DeviceUnreachableError');
      const expired = await eventually(async () => {
        const row = await platform.database.db
          .selectFrom('device_command')
          .select('status')
          .where('id', '=', silent.data.unlock.commandId)
          .executeTakeFirstOrThrow();
        return row.status === 'expired' && row;
      });
      expect(expired.status).toBe('expired');
    } finally {
      await fleet.close();
    }
  });
});

describe('unlock round trip over the real Mosquitto with per-device credentials and ACLs', () => {
  let platform: Platform;
  let mosquitto: Awaited<ReturnType<typeof startTestMosquitto>>;
  let bridge: Awaited<ReturnType<typeof startBridge>>;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(async () => {
    await bridge?.close();
    await mosquitto?.dispose();
    await platform?.dropDatabase();
  });

  it('opens the box and an operator can lock it again', async () => {
    const box = await bookedBox(platform, 'soest');
    mosquitto = await startTestMosquitto([
      BRIDGE_USER,
      { username: box.deviceId, password: devicePassword(box.deviceId) },
    ]);
    bridge = await startBridge({
      database: platform.database,
      logger: platform.logger,
      metrics: createBridgeMetrics(new Registry()),
      mqtt: {
        url: mosquitto.url,
        username: BRIDGE_USER.username,
        password: BRIDGE_USER.password,
        protocolVersion: 5,
      },
      instanceId: 'roundtrip',
      shareGroup: 'bridge',
    });
    const fleet = await startSimulatorFleet({
      db: platform.database.db,
      url: mosquitto.url,
      logger: platform.logger,
      protocolVersion: 5,
      passwordFor: devicePassword,
      only: [{ tenantId: 'soest', deviceId: box.deviceId }],
    });
    try {
      const opened = await platform.gql(UNLOCK, { id: box.id }, box.commuter.token);
      expect(opened.data.unlock).toMatchObject({
        __typename: 'LockCommand',
        status: 'ACKED',
        deviceState: 'unlocked',
      });
      const operator = await platform.staff('soest', 'operator');
      const locked = await platform.gql(
        `mutation($s: ID!) { lockSpace(spaceId: $s) { __typename ... on LockCommand { status deviceState } } }`,
        { s: box.space.id },
        operator.token,
      );
      expect(locked.data.lockSpace).toEqual({
        __typename: 'LockCommand',
        status: 'ACKED',
        deviceState: 'locked',
      });
    } finally {
      await fleet.close();
    }
  });
});
