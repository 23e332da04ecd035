import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import {
  commandRow,
  createWorld,
  insertCommand,
  transitionStatuses,
  type World,
} from '../test-support/world.ts';
import { applyAck } from './acks.ts';
import { commandRepository } from './command.repository.ts';
import { retryDelayMs } from './outbox.ts';

/** The outbox's guarantees at the database, without MQTT. */

let world: World;

beforeAll(async () => {
  world = await createWorld({ spaces: 2 });
});

afterAll(async () => {
  await world?.close();
});

const asBridge = <T>(work: Parameters<typeof withActor<T>>[2]) =>
  withActor(world.db, systemActor, work, { dbRole: 'swf_bridge' });

describe('claiming due commands', () => {
  it('gives two concurrent claimers disjoint commands (FOR UPDATE SKIP LOCKED)', async () => {
    const ids = [];
    for (let i = 0; i < 10; i++) {
      ids.push(
        await insertCommand(world.db, { tenantId: world.tenantId, deviceId: world.deviceIds[i % 2]! }),
      );
    }
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firstClaimed!: (ids: string[]) => void;
    const first = new Promise<string[]>((resolve) => {
      firstClaimed = resolve;
    });
    // The first transaction claims 6 and stays open while the second one claims.
    const firstTx = asBridge(async (tx) => {
      const claimed = await commandRepository.claimDue(tx, new Date(), 6);
      firstClaimed(claimed.map((c) => c.id));
      await held;
    });
    const a = await first;
    const b = (await asBridge((tx) => commandRepository.claimDue(tx, new Date(), 50))).map((c) => c.id);
    release();
    await firstTx;
    expect(a).toHaveLength(6);
    expect(b).toHaveLength(4);
    expect(new Set([...a, ...b])).toEqual(new Set(ids));
  });

  it('reads the secret only as swf_bridge', async () => {
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: world.deviceIds[0]! });
    const claimed = await asBridge((tx) => commandRepository.claimDue(tx, new Date(), 50));
    expect(claimed.find((c) => c.id === id)?.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(
      withActor(world.db, systemActor, (tx) => commandRepository.claimDue(tx, new Date(), 50)),
    ).rejects.toThrow(/permission denied/);
  });
});

describe('acks', () => {
  it('change an open command once; a late, duplicate or foreign ack changes nothing', async () => {
    const [a, b] = world.deviceIds as [string, string];
    const id = await insertCommand(world.db, { tenantId: world.tenantId, deviceId: a });
    const ack = (result: 'ok' | 'failed', state: 'unlocked' | 'jammed') => ({
      cmdId: id,
      result,
      state,
      at: new Date().toISOString(),
    });
    const key = (deviceId: string) => ({ tenantId: world.tenantId, deviceId });
    const apply = (deviceId: string, payload: ReturnType<typeof ack>) =>
      withActor(world.db, systemActor, (tx) => applyAck(tx, key(deviceId), payload, new Date()));

    expect(await apply(b, ack('ok', 'unlocked'))).toEqual({ type: 'stale' }); // b cannot answer for a
    expect(await apply(a, ack('ok', 'unlocked'))).toEqual({ type: 'applied', status: 'acked' });
    expect(await apply(a, ack('failed', 'jammed'))).toEqual({ type: 'stale' });
    expect(await apply(a, ack('ok', 'unlocked'))).toEqual({ type: 'stale' });
    const row = await commandRow(world.db, id);
    expect([row.status, row.device_state]).toEqual(['acked', 'unlocked']);
    expect(await transitionStatuses(world.db, id)).toEqual(['pending', 'acked']);
  });
});

describe('backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    const o = { retryBaseMs: 1000, retryMaxMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, o))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
