import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBridgeConfig } from './config.ts';
import { spawnBridgeProcess } from './test-support/bridge-process.ts';
import { freePort, startTestMosquitto, type TestMosquitto } from './test-support/mosquitto.ts';
import { eventually } from './test-support/wait.ts';
import { BRIDGE_USER, commandRow, createWorld, insertCommand, type World } from './test-support/world.ts';

/** firmware-bridge/main.ts as a process: configuration, readiness, metrics, graceful stop. */

let world: World;
let broker: TestMosquitto;

beforeAll(async () => {
  world = await createWorld({ spaces: 1 });
  broker = await startTestMosquitto(world.mqttUsers);
});

afterAll(async () => {
  await broker?.dispose();
  await world?.close();
});

describe('bridge configuration', () => {
  it('requires DATABASE_URL and MQTT_URL and reports every problem at once', () => {
    expect(() => loadBridgeConfig({ BRIDGE_PORT: 'x' })).toThrow(
      /DATABASE_URL: required[\s\S]*MQTT_URL: required[\s\S]*BRIDGE_PORT/,
    );
  });

  it('has defaults for everything else', () => {
    const c = loadBridgeConfig({
      DATABASE_URL: 'postgres://h/db',
      MQTT_URL: 'mqtt://h:1883',
      BRIDGE_PORT: '',
    });
    expect(c).toMatchObject({
      port: 4100,
      mqttUsername: 'bridge',
      mqttProtocolVersion: 5,
      shareGroup: 'bridge',
    });
    expect(c.instanceId).toMatch(/^[A-Za-z0-9_.:-]+-\d+$/);
    expect(
      loadBridgeConfig({ DATABASE_URL: 'postgres://h/db', MQTT_URL: 'mqtt://h', MQTT_SHARE_GROUP: 'none' })
        .shareGroup,
    ).toBeUndefined();
  });

  it('binds to BRIDGE_HOST, else the platform-wide HOST, else loopback', () => {
    const base = { DATABASE_URL: 'postgres://h/db', MQTT_URL: 'mqtt://h' };
    expect(loadBridgeConfig(base).host).toBe('127.0.0.1');
    expect(loadBridgeConfig({ ...base, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadBridgeConfig({ ...base, HOST: '0.0.0.0', BRIDGE_HOST: '::1' }).host).toBe('::1');
  });

  it('refuses an instance id that could not be a topic level', () => {
    expect(() =>
      loadBridgeConfig({ DATABASE_URL: 'postgres://h/db', MQTT_URL: 'mqtt://h', BRIDGE_INSTANCE_ID: 'a/b' }),
    ).toThrow(/BRIDGE_INSTANCE_ID/);
  });

  it('exits 1 with a plain message when misconfigured', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'firmware-bridge/main.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL: required');
  });
});

describe('bridge process', () => {
  it('is not ready without its broker, ready with it, counts, and stops gracefully on SIGTERM', async () => {
    const env = {
      DATABASE_URL: world.url,
      MQTT_PASSWORD: BRIDGE_USER.password,
      BRIDGE_INSTANCE_ID: 'main-test',
      BRIDGE_POLL_INTERVAL_MS: '200',
    };
    // No broker on this port yet: alive, not ready.
    const lonely = await spawnBridgeProcess({ ...env, MQTT_URL: `mqtt://127.0.0.1:${await freePort()}` });
    const url = (path: string) => `http://127.0.0.1:${lonely.port}${path}`;
    await eventually(async () => (await fetch(url('/healthz')).catch(() => undefined))?.status === 200);
    const notReady = await fetch(url('/readyz'));
    expect(notReady.status).toBe(503);
    lonely.child.kill('SIGTERM');
    expect(await lonely.exited).toBe(0);

    const proc = await spawnBridgeProcess({ ...env, MQTT_URL: broker.url });
    await proc.waitReady();
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: world.deviceIds[0]! });
    await eventually(async () => (await commandRow(world.db, id)).attempts >= 1);
    const metrics = await (await fetch(`http://127.0.0.1:${proc.port}/metrics`)).text();
    expect(metrics).toMatch(/bridge_commands_published_total\{service="firmware-bridge"\} [1-9]/);
    expect(metrics).toContain('bridge_messages_in_total');
    expect(metrics).toContain('bridge_dead_letters_total');

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    const watcher = await mqtt.connectAsync(broker.url, { ...BRIDGE_USER, clientId: 'watcher' });
    try {
      const status = await new Promise<string>((resolve) => {
        watcher.on('message', (_t, p) => resolve(p.toString()));
        void watcher.subscribeAsync('swf/bridge/main-test/status', { qos: 1 });
      });
      expect(status).toBe('offline');
    } finally {
      await watcher.endAsync();
    }
  });
});
