import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../services/core/logging.ts';
import { startTestMosquitto, type TestMosquitto } from '../test-support/mosquitto.ts';
import { eventually } from '../test-support/wait.ts';
import { BRIDGE_USER } from '../test-support/world.ts';
import { MqttConnection } from './mqtt-connection.ts';

let broker: TestMosquitto;

beforeAll(async () => {
  broker = await startTestMosquitto([BRIDGE_USER]);
});

afterAll(async () => {
  await broker?.dispose();
});

describe('MqttConnection', () => {
  it.each([
    4, 5,
  ] as const)('fails at once when the broker refuses the CONNECT (MQTT %i)', async (protocolVersion) => {
    const connection = new MqttConnection({
      url: broker.url,
      clientId: `refused-${protocolVersion}`,
      username: 'bridge',
      password: 'wrong',
      protocolVersion,
      clean: true,
      logger: createLogger('silent'),
    });
    await expect(connection.connect()).rejects.toThrow(/Not authorized|Bad User Name or Password/i);
    expect(connection.connected).toBe(false);
  });

  it('announces online on connect and leaves offline through its Last Will when it dies', async () => {
    const availability = { topic: 'swf/bridge/will-test/status', online: 'online', offline: 'offline' };
    const connection = new MqttConnection({
      url: broker.url,
      clientId: 'bridge-will-test',
      ...BRIDGE_USER,
      protocolVersion: 5,
      clean: true,
      availability,
      logger: createLogger('silent'),
    });
    const watcher = await mqtt.connectAsync(broker.url, {
      ...BRIDGE_USER,
      clientId: 'will-watcher',
      protocolVersion: 5,
    });
    const seen: string[] = [];
    watcher.on('message', (_t, p) => seen.push(p.toString()));
    await watcher.subscribeAsync(availability.topic, { qos: 1 });
    try {
      await connection.connect();
      await eventually(() => seen.at(-1) === 'online');
      await connection.kill();
      await eventually(() => seen.at(-1) === 'offline', { what: 'Last Will' });
    } finally {
      await watcher.endAsync();
    }
  });

  it('refuses to publish while not connected instead of queueing silently', async () => {
    const connection = new MqttConnection({
      url: broker.url,
      clientId: 'not-yet',
      protocolVersion: 5,
      clean: true,
      logger: createLogger('silent'),
    });
    await expect(connection.publish('swf/soest/x/cmd', '{}', { qos: 1 })).rejects.toThrow(/not connected/);
  });
});
