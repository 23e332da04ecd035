import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../services/core/logging.ts';
import { type AckPayload, ackPayloadSchema } from '../contract/payloads.ts';
import { signCommand } from '../contract/signing.ts';
import { deviceTopic } from '../contract/topics.ts';
import { startTestMosquitto, type TestMosquitto } from '../test-support/mosquitto.ts';
import { eventually } from '../test-support/wait.ts';
import { BRIDGE_USER } from '../test-support/world.ts';
import { SimulatedDevice } from './simulated-device.ts';

/**
 * The simulator checks commands as firmware must (schema/asyncapi.yaml): a forged, stale or
 * repeated command is never executed. Driven by a hand-made "bridge" client over Mosquitto.
 */

const tenantId = 'olpe';
const deviceId = 'lock-sim-1';
const secret = 'device-secret-for-tests';

let broker: TestMosquitto;
let control: MqttClient;
let device: SimulatedDevice;
let acks: AckPayload[];

beforeAll(async () => {
  broker = await startTestMosquitto([BRIDGE_USER, { username: deviceId, password: 'pw' }]);
  device = new SimulatedDevice({
    url: broker.url,
    tenantId,
    deviceId,
    secret,
    password: 'pw',
    protocolVersion: 5,
    doorCloseDelayMs: 50,
    slowAckMs: 400,
    logger: createLogger('silent'),
  });
  await device.start();
  control = await mqtt.connectAsync(broker.url, { ...BRIDGE_USER, clientId: 'control', protocolVersion: 5 });
  control.on('message', (_t, payload) => acks.push(ackPayloadSchema.parse(JSON.parse(payload.toString()))));
  await control.subscribeAsync(deviceTopic(tenantId, deviceId, 'ack'), { qos: 1 });
});

beforeEach(() => {
  acks = [];
});

afterAll(async () => {
  await control?.endAsync();
  await device?.stop();
  await broker?.dispose();
});

function command(overrides: { issuedAt?: Date; expiresAt?: Date; key?: string } = {}) {
  const issuedAt = overrides.issuedAt ?? new Date();
  const fields = {
    cmdId: randomUUID(),
    action: 'unlock' as const,
    params: { reason: 'test' },
    issuedAt: issuedAt.toISOString(),
    expiresAt: (overrides.expiresAt ?? new Date(issuedAt.getTime() + 30_000)).toISOString(),
  };
  return { ...fields, sig: signCommand(overrides.key ?? secret, { tenantId, deviceId }, fields) };
}

async function send(cmd: object) {
  await control.publishAsync(deviceTopic(tenantId, deviceId, 'cmd'), JSON.stringify(cmd), { qos: 1 });
}

describe('simulated device', () => {
  it('executes a valid command once and acks ok', async () => {
    const cmd = command();
    await send(cmd);
    const [ack] = await eventually(() => acks.length === 1 && acks);
    expect(ack).toMatchObject({ cmdId: cmd.cmdId, result: 'ok', state: 'unlocked' });
    expect(device.executions.get(cmd.cmdId)).toBe(1);
  });

  it('refuses a forged signature', async () => {
    const cmd = command({ key: 'not-the-secret' });
    await send(cmd);
    const [ack] = await eventually(() => acks.length === 1 && acks);
    expect(ack).toMatchObject({ cmdId: cmd.cmdId, result: 'rejected', reason: 'bad_signature' });
    expect(device.executions.has(cmd.cmdId)).toBe(false);
  });

  it('refuses a command whose content was changed after signing', async () => {
    const cmd = { ...command(), action: 'force_unlock' };
    await send(cmd);
    const [ack] = await eventually(() => acks.length === 1 && acks);
    expect(ack).toMatchObject({ result: 'rejected', reason: 'bad_signature' });
  });

  it('refuses an expired command and one from the future', async () => {
    const stale = command({
      issuedAt: new Date(Date.now() - 60_000),
      expiresAt: new Date(Date.now() - 1000),
    });
    const future = command({ issuedAt: new Date(Date.now() + 120_000) });
    await send(stale);
    await send(future);
    await eventually(() => acks.length === 2);
    expect(acks.find((a) => a.cmdId === stale.cmdId)).toMatchObject({
      result: 'rejected',
      reason: 'expired',
    });
    expect(acks.find((a) => a.cmdId === future.cmdId)).toMatchObject({
      result: 'rejected',
      reason: 'not_yet_valid',
    });
    expect(device.executions.has(stale.cmdId) || device.executions.has(future.cmdId)).toBe(false);
  });

  it('answers a replayed command with its first result and does not execute it again', async () => {
    device.setFault('jammed');
    const cmd = command();
    await send(cmd);
    await eventually(() => acks.length === 1);
    device.setFault('jammed', false);
    await send(cmd);
    await send(cmd);
    await eventually(() => acks.length === 3);
    expect(acks.map((a) => [a.cmdId, a.result, a.state])).toEqual([
      [cmd.cmdId, 'failed', 'jammed'],
      [cmd.cmdId, 'failed', 'jammed'],
      [cmd.cmdId, 'failed', 'jammed'],
    ]);
    expect(device.executions.get(cmd.cmdId)).toBe(1);
    expect(device.received.filter((id) => id === cmd.cmdId)).toHaveLength(3);
  });

  it('answers a repeat that arrives while the first is still being executed (slow) once executed', async () => {
    device.setFault('slow');
    const cmd = command();
    await send(cmd);
    await send(cmd);
    await eventually(() => acks.length === 2, { timeoutMs: 10_000 });
    device.setFault('slow', false);
    expect(acks.every((a) => a.result === 'ok')).toBe(true);
    expect(device.executions.get(cmd.cmdId)).toBe(1);
  });

  it('stays silent with fault no_answer', async () => {
    device.setFault('no_answer');
    const cmd = command();
    await send(cmd);
    await eventually(() => device.received.includes(cmd.cmdId));
    device.setFault('no_answer', false);
    // The next (retried) delivery is answered: a silent device executed nothing.
    await send(cmd);
    await eventually(() => acks.length === 1);
    expect(device.executions.get(cmd.cmdId)).toBe(1);
  });
});
