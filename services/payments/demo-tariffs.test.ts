import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestPlatform } from '../../test/support/platform.ts';
import { seedDemoData } from '../garages/demo/seed.ts';
import { demoTownTariffs } from './demo-tariffs.ts';

const platform = useTestPlatform();

describe('demo tariffs', () => {
  it('the demo seed gives the five towns tariffs, merchant addresses and policies, and is safe to repeat', async () => {
    await seedDemoData(platform.database.db, platform.services);
    const expected = Object.values(demoTownTariffs).reduce(
      (n, town) => n + Object.keys(town.tariffs).length + Object.keys(town.vehicleTariffs ?? {}).length,
      0,
    );
    const count = async () =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from tariff`.execute(platform.database.db)).rows[0]!.n,
      );
    expect(await count()).toBe(expected);
    const tariffs = (await platform.gql('query { tariffs(tenant: "soest") { spaceType hourCents } }')).data
      .tariffs;
    expect(tariffs).toContainEqual({ spaceType: 'STANDARD', hourCents: 50 });

    // An operator retires one; a second seed neither restores it nor adds anything.
    await sql`update tariff set retired_at = now() where tenant_id = 'olpe' and space_type = 'CARGO'`.execute(
      platform.database.db,
    );
    await seedDemoData(platform.database.db, platform.services);
    expect(await count()).toBe(expected);
    const towns = await sql<{ id: string; merchant_address: string; cancellation_refund_policy: string }>`
      select id, merchant_address, cancellation_refund_policy from tenant where merchant_address is not null order by id`.execute(
      platform.database.db,
    );
    expect(towns.rows.map((t) => t.id)).toEqual(['arnsberg', 'bad-berleburg', 'menden', 'olpe', 'soest']);
    expect(towns.rows.find((t) => t.id === 'olpe')!.cancellation_refund_policy).toBe('none');
  });
});
