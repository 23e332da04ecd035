import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../services/core/db/connect.ts';
import { migrateToLatest } from '../services/core/db/migrate.ts';
import { createLogger } from '../services/core/logging.ts';
import { createGarage } from '../test/support/fixtures.ts';
import { type EmbeddedBridge, startEmbeddedBridge } from './embedded.ts';
import { eventually } from './test-support/wait.ts';
import { commandRow, deviceRow, insertCommand, transitionStatuses } from './test-support/world.ts';

/**
 * `npm start` runs on PGlite: one connection for API, bridge and simulator. The bridge must
 * not hold it in a way that starves the rest (short transactions, no query inside a
 * transaction except through it).
 */

let database: DatabaseHandle;
let embedded: EmbeddedBridge;
let deviceIds: string[];

beforeAll(async () => {
  database = await connectDatabase({ dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const { spaces } = await createGarage(database.db, { tenantId: 'arnsberg', spaces: { STANDARD: 3 } });
  deviceIds = spaces.map((s) => s.lockDeviceId!);
  embedded = await startEmbeddedBridge({ database, logger: createLogger('silent'), port: 0 });
});

afterAll(async () => {
  await embedded?.close();
  await database?.close();
});

describe('embedded bridge on PGlite', () => {
  it('provisions secrets and delivers commands to every simulated lock', async () => {
    expect(embedded.simulator!.devices).toHaveLength(3);
    const ids = [];
    for (const deviceId of deviceIds)
      ids.push(await insertCommand(database.db, { tenantId: 'arnsberg', deviceId }));
    for (const id of ids) {
      await eventually(async () => (await commandRow(database.db, id)).status === 'acked', {
        timeoutMs: 20_000,
      });
      expect(await transitionStatuses(database.db, id)).toEqual(['pending', 'sent', 'acked']);
    }
    await eventually(async () => (await deviceRow(database.db, 'arnsberg', deviceIds[0]!)).online === true);
  });
});
