import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, withActor } from '../services/core/tenancy.ts';
import { createGarage } from '../test/support/fixtures.ts';
import { provisionDeviceSecrets } from './provisioning.ts';
import { createWorld, type World } from './test-support/world.ts';

let world: World;

beforeAll(async () => {
  world = await createWorld({ spaces: 2 });
});

afterAll(async () => {
  await world?.close();
});

const secrets = () =>
  withActor(
    world.db,
    systemActor,
    (tx) => tx.selectFrom('device').select(['id', 'secret']).orderBy('id').execute(),
    { dbRole: 'swf_bridge' },
  );

describe('provisionDeviceSecrets', () => {
  it('gives only devices without a secret a new random one and returns them', async () => {
    const before = await secrets();
    expect(before.every((d) => d.secret)).toBe(true);
    const { spaces } = await createGarage(world.db, { tenantId: 'menden', spaces: { STANDARD: 2 } });
    const added = await provisionDeviceSecrets(world.db);
    expect(added.map((d) => d.deviceId).sort()).toEqual(spaces.map((s) => s.lockDeviceId).sort());
    expect(added.every((d) => d.tenantId === 'menden')).toBe(true);

    const after = await secrets();
    for (const d of before) expect(after.find((a) => a.id === d.id)?.secret).toBe(d.secret);
    const fresh = after.filter((a) => added.some((d) => d.deviceId === a.id)).map((a) => a.secret);
    expect(new Set(fresh).size).toBe(2);
    for (const s of fresh) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await provisionDeviceSecrets(world.db)).toEqual([]);
  });

  it('keeps the secret away from the API role', async () => {
    await expect(
      withActor(world.db, systemActor, (tx) => sql`select secret from device limit 1`.execute(tx)),
    ).rejects.toThrow(/permission denied/);
  });
});
