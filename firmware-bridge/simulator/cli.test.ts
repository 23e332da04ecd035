import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../bridge/bridge.ts';
import { startTestMosquitto, type TestMosquitto } from '../test-support/mosquitto.ts';
import { eventually } from '../test-support/wait.ts';
import {
  BRIDGE_USER,
  commandRow,
  createWorld,
  insertCommand,
  startTestBridge,
  type World,
} from '../test-support/world.ts';

/** `node --import tsx firmware-bridge/simulator/cli.ts` as an operator would run it. */

let world: World;
let broker: TestMosquitto;
let bridge: Bridge;

beforeAll(async () => {
  world = await createWorld({ spaces: 2 });
  broker = await startTestMosquitto([
    BRIDGE_USER,
    ...world.deviceIds.map((id) => ({ username: id, password: 'one-password-for-all' })),
  ]);
  bridge = await startTestBridge(world, broker.url, { instanceId: 'cli-test' });
});

afterAll(async () => {
  await bridge?.close();
  await broker?.dispose();
  await world?.close();
});

describe('simulator CLI', () => {
  it('plays the devices of the database and switches faults from standard input', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'firmware-bridge/simulator/cli.ts'], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: {
        PATH: process.env.PATH ?? '',
        MQTT_URL: broker.url,
        DATABASE_URL: world.url,
        SIM_DEVICE_PASSWORD: 'one-password-for-all',
        LOG_LEVEL: 'warn',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await eventually(() => out.includes('Simulating 2 devices'), {
        timeoutMs: 30_000,
        what: `cli start: ${out}`,
      });
      const [a, b] = world.deviceIds as [string, string];
      child.stdin.write(`fault ${b} jammed\nlist\n`);
      await eventually(() => out.includes(`${b} locked door=closed faults=jammed`), { what: `list: ${out}` });

      const ok = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: a });
      const jammed = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: b });
      await eventually(async () => (await commandRow(world.db, ok)).status === 'acked');
      await eventually(async () => (await commandRow(world.db, jammed)).status === 'failed');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
