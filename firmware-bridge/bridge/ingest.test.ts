import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../services/core/clock.ts';
import type { DatabaseHandle } from '../../services/core/db/connect.ts';
import type { Db } from '../../services/core/db/database.ts';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { MAX_PAYLOAD_BYTES } from '../contract/payloads.ts';
import { eventually } from '../test-support/wait.ts';
import { createWorld, deadLetters, type World } from '../test-support/world.ts';
import { classify } from './classify.ts';
import { Ingest } from './ingest.ts';

/** Ingest without a broker: a poison message, a database outage, the size boundary. */

let world: World;

beforeAll(async () => {
  world = await createWorld({ spaces: 1 });
});

afterAll(async () => {
  await world?.close();
});

const telemetry = (deviceId: string, at: string, battery = 50) =>
  [`swf/${world.tenantId}/${deviceId}/telemetry`, Buffer.from(JSON.stringify({ battery, at }))] as const;

async function readingCount(): Promise<number> {
  const rows = await withActor(world.db, systemActor, (tx) =>
    tx.selectFrom('sensor_reading').select('battery_percent').execute(),
  );
  return rows.length;
}

/** The test database, with a switch that makes every transaction fail as if it were gone. */
function flakyDatabase(): { database: DatabaseHandle; setDown(down: boolean): void } {
  let down = false;
  const db = new Proxy(world.db, {
    get(target, prop) {
      if (prop === 'transaction' && down) {
        return () => ({ execute: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) });
      }
      // Kysely keeps private fields: its methods must run on the real instance.
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Db;
  return { database: { ...world.database, db }, setDown: (d) => (down = d) };
}

describe('ingest', () => {
  it('stores the rest of a batch when one message breaks it, and dead-letters that one', async () => {
    const ingest = new Ingest({
      database: world.database,
      logger: world.logger,
      metrics: world.newMetrics().metrics,
      clock: systemClock,
      options: { flushIntervalMs: 10_000 },
    });
    const before = await readingCount();
    const deviceId = world.deviceIds[0]!;
    await ingest.handle(...telemetry(deviceId, new Date().toISOString(), 10));
    // Valid for zod, refused by PostgreSQL: year 0 does not exist.
    await ingest.handle(...telemetry(deviceId, '0000-01-01T00:00:00Z', 11));
    await ingest.handle(...telemetry(deviceId, new Date().toISOString(), 12));
    await ingest.flush();
    expect(await readingCount()).toBe(before + 2);
    const dead = (await deadLetters(world.db)).at(-1)!;
    expect(dead.reason).toMatch(/^storage_error: .*out of range/);
    expect(dead.payload).toContain('0000-01-01');
    await ingest.close();
  });

  it('keeps messages while the database is away and writes them when it is back', async () => {
    const flaky = flakyDatabase();
    const ingest = new Ingest({
      database: flaky.database,
      logger: world.logger,
      metrics: world.newMetrics().metrics,
      clock: systemClock,
      options: { flushIntervalMs: 20 },
    });
    const before = await readingCount();
    flaky.setDown(true);
    for (let i = 0; i < 5; i++)
      await ingest.handle(...telemetry(world.deviceIds[0]!, new Date().toISOString(), 20 + i));
    await ingest.flush();
    expect(ingest.buffered).toBe(5);
    flaky.setDown(false);
    await eventually(async () => (await readingCount()) === before + 5, {
      what: 'buffered readings written',
    });
    expect(ingest.buffered).toBe(0);
    await ingest.close();
  });
});

describe('classify', () => {
  const topic = 'swf/soest/lock-1/telemetry';
  it(`takes ${MAX_PAYLOAD_BYTES} bytes and refuses ${MAX_PAYLOAD_BYTES + 1}`, () => {
    const sized = (n: number) => {
      const base = JSON.stringify({ at: new Date().toISOString(), pad: '' });
      return Buffer.from(JSON.stringify({ at: new Date().toISOString(), pad: 'x'.repeat(n - base.length) }));
    };
    expect(sized(MAX_PAYLOAD_BYTES).length).toBe(MAX_PAYLOAD_BYTES);
    expect(classify(topic, sized(MAX_PAYLOAD_BYTES)).type).toBe('message');
    const over = classify(topic, sized(MAX_PAYLOAD_BYTES + 1));
    expect(over).toMatchObject({ type: 'dead', dead: { reason: 'oversized' } });
  });

  it('ignores the bridges’ own status, cleared retained status and command echoes', () => {
    expect(classify('swf/bridge/host-1/status', Buffer.from('online')).type).toBe('ignore');
    expect(classify('swf/soest/lock-1/status', Buffer.alloc(0)).type).toBe('ignore');
    expect(classify('swf/soest/lock-1/cmd', Buffer.from('{}')).type).toBe('ignore');
  });
});
