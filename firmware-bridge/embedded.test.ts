import { createServer } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../services/core/logging.ts';
import { type EmbeddedBridge, startEmbeddedBridge } from './embedded.ts';
import {
  DEFAULT_EMBEDDED_MQTT_PORT,
  EmbeddedBrokerPortInUseError,
  embeddedPortFromEnv,
  startEmbeddedBroker,
} from './embedded-broker.ts';
import { eventually } from './test-support/wait.ts';
import {
  commandRow,
  createWorld,
  deadLetters,
  deviceRow,
  insertCommand,
  transitionStatuses,
  type World,
} from './test-support/world.ts';

/** The embedded default: aedes, bridge and simulator in one process (here on a real PostgreSQL). */

let world: World;
let embedded: EmbeddedBridge;

beforeAll(async () => {
  world = await createWorld({ spaces: 2 });
  embedded = await startEmbeddedBridge({ database: world.database, logger: world.logger, port: 0 });
});

afterAll(async () => {
  await embedded?.close();
  await world?.close();
});

describe('embedded bridge', () => {
  it('delivers a command to a simulated lock over aedes (MQTT 3.1.1)', async () => {
    expect(embedded.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const deviceId = world.deviceIds[0]!;
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId });
    await eventually(async () => (await commandRow(world.db, id)).status === 'acked');
    expect(await transitionStatuses(world.db, id)).toEqual(['pending', 'sent', 'acked']);
    expect(embedded.simulator!.get(world.tenantId, deviceId)!.executions.get(id)).toBe(1);
    await eventually(async () => (await deviceRow(world.db, world.tenantId, deviceId)).online === true);
  });

  it('dead-letters what it cannot use and keeps running', async () => {
    const client = await mqtt.connectAsync(embedded.mqttUrl, { clientId: 'poker' });
    try {
      await client.publishAsync(`swf/${world.tenantId}/${world.deviceIds[1]}/event`, 'not json', { qos: 1 });
      await client.publishAsync(`swf/${world.tenantId}/ghost/status`, 'online', { qos: 1 });
    } finally {
      await client.endAsync();
    }
    const rows = await eventually(async () => {
      const all = await deadLetters(world.db);
      return all.length >= 2 && all;
    });
    expect(rows.map((r) => r.reason.split(':')[0]).sort()).toEqual(['malformed_json', 'unknown_device']);
    const id = await insertCommand(world.db, {
      tenantId: world.tenantId,
      deviceId: world.deviceIds[1]!,
      action: 'lock',
    });
    await eventually(async () => (await commandRow(world.db, id)).status === 'acked');
  });

  it('switches simulator faults at run time', async () => {
    const deviceId = world.deviceIds[1]!;
    embedded.simulator!.setFault(world.tenantId, deviceId, 'low_battery');
    await eventually(async () => (await deviceRow(world.db, world.tenantId, deviceId)).battery_percent === 8);
    embedded.simulator!.setFault(world.tenantId, deviceId, 'low_battery', false);
  });
});

describe('embedded broker port', () => {
  it('defaults to 1884 and reads MQTT_EMBEDDED_PORT', () => {
    expect(DEFAULT_EMBEDDED_MQTT_PORT).toBe(1884);
    expect(embeddedPortFromEnv({})).toBe(1884);
    expect(embeddedPortFromEnv({ MQTT_EMBEDDED_PORT: '21884' })).toBe(21884);
    expect(() => embeddedPortFromEnv({ MQTT_EMBEDDED_PORT: 'x' })).toThrow(/MQTT_EMBEDDED_PORT/);
  });

  it('fails with a clear message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const attempt = startEmbeddedBroker({ port, logger: createLogger('silent') });
      await expect(attempt).rejects.toBeInstanceOf(EmbeddedBrokerPortInUseError);
      await expect(attempt).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}.*MQTT_EMBEDDED_PORT`));
    } finally {
      blocker.close();
    }
  });
});
