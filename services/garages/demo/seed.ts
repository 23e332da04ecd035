import type { Services } from '../../api/services.ts';
import type { Db } from '../../core/db/database.ts';
import { EmailTakenError } from '../../core/errors.ts';
import { systemActor, withActor } from '../../core/tenancy.ts';
import { seedDemoTariffs } from '../../payments/demo-tariffs.ts';
import { type StationSeedSummary, seedDemoStations } from '../../stations/demo/seed-stations.ts';
import { siteRepository } from '../site.repository.ts';
import { spaceRepository } from '../space.repository.ts';
import { SPACE_TYPES } from '../space.ts';
import { DEMO_PASSWORD, demoCommuterEmail, demoSites, demoTowns } from './demo-data.ts';

export interface SeedSummary {
  towns: number;
  sites: number;
  spaces: number;
  accounts: { role: string; email: string }[];
  password: string;
  /** Mobility stations and shared vehicles (services/stations/demo). */
  mobility: StationSeedSummary;
}

const typeCode = { STANDARD: 'S', E_BIKE_CHARGING: 'E', CARGO: 'C', LARGE: 'L' } as const;

/**
 * Demo garages, spaces with lock ids and demo accounts. Idempotent: sites are matched by
 * their external reference and accounts by e-mail, so running it twice changes nothing.
 */
export async function seedDemoData(db: Db, services: Services): Promise<SeedSummary> {
  let spaces = 0;
  await withActor(db, systemActor, async (tx) => {
    for (const demo of demoSites) {
      const existing = await tx
        .selectFrom('site')
        .select('id')
        .where('tenant_id', '=', demo.tenantId)
        .where('external_ref', '=', demo.ref)
        .executeTakeFirst();
      const site =
        existing ??
        (await siteRepository.insert(tx, {
          tenantId: demo.tenantId,
          name: demo.name,
          street: demo.street,
          postalCode: demo.postalCode,
          city: demo.city,
          lat: demo.lat,
          lon: demo.lon,
          openingHours: demo.openingHours,
          externalRef: demo.ref,
        }));
      const labels = new Set((await spaceRepository.listBySite(tx, site.id)).map((s) => s.label));
      for (const type of SPACE_TYPES) {
        for (let n = 1; n <= (demo.spaces[type] ?? 0); n++) {
          const label = `${typeCode[type]}${String(n).padStart(2, '0')}`;
          spaces++;
          if (labels.has(label)) continue;
          await spaceRepository.insert(tx, demo.tenantId, {
            siteId: site.id,
            label,
            type,
            lockDeviceId: `${demo.ref.toLowerCase()}-${label.toLowerCase()}`,
          });
        }
      }
    }
  });

  // Tariffs, merchant details and refund policies of the towns (services/payments).
  await seedDemoTariffs(db);

  // Stations link to the garages above, so they come after them.
  const mobility = await seedDemoStations(db);

  const accounts: SeedSummary['accounts'] = [{ role: 'commuter', email: demoCommuterEmail }];
  await ignoreExisting(() =>
    services.accounts.register({ email: demoCommuterEmail, password: DEMO_PASSWORD, name: 'Pia Pendler' }),
  );
  for (const town of demoTowns) {
    for (const role of ['operator', 'planner'] as const) {
      const email = `${role === 'operator' ? 'betrieb' : 'planung'}.${town}@example.org`;
      accounts.push({ role: `${role}`, email });
      await ignoreExisting(() =>
        services.accounts.createStaff({
          email,
          password: DEMO_PASSWORD,
          name: `${role} ${town}`,
          tenantId: town,
          role,
        }),
      );
    }
  }
  return {
    towns: demoTowns.length,
    sites: demoSites.length,
    spaces,
    accounts,
    password: DEMO_PASSWORD,
    mobility,
  };
}

async function ignoreExisting(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
  }
}
