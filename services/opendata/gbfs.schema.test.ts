import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { seedDemoTariffs } from '../payments/demo-tariffs.ts';
import { seedDemoStations } from '../stations/demo/seed-stations.ts';
import { ackNewestCommand, reportFromDevice } from '../stations/station.fixtures.ts';
import { RESERVE_VEHICLE, reserveInput, START_TRIP } from '../stations/station.operations.fixtures.ts';
import { vehicleRepository } from '../stations/vehicle.repository.ts';
import type { Vehicle } from '../stations/vehicle.ts';
import { loadGbfsValidators } from './gbfs.fixtures.ts';

/**
 * Every GBFS file the running system serves validates against the official schema of the
 * version it declares. The system is the whole API (createTestPlatform, /gbfs mounted as in
 * the embedded default) on real PostgreSQL, with the demo stations and live states: a vehicle
 * out on a trip, reservations ahead, one in maintenance, a station that takes no returns.
 */
type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;
const validators = { '3.0': loadGbfsValidators('3.0'), '3.1-RC3': loadGbfsValidators('3.1-RC3') };

async function vehicles(tenantId: string): Promise<Vehicle[]> {
  return withActor(platform.database.db, systemActor, (tx) => vehicleRepository.list(tx, { tenantId }));
}

beforeAll(async () => {
  platform = await createTestPlatform({ env: { OPENDATA_IN_API: 'true', LOCK_COMMAND_TIMEOUT_MS: '3000' } });
  const db = platform.database.db;
  await seedDemoStations(db);
  await seedDemoTariffs(db); // the trip tariffs are published as system_pricing_plans
  const arnsberg = await vehicles('arnsberg');
  const rider = await platform.commuter('gbfs-rider');

  // A cargo bike reserved tomorrow and the day after: vehicle_availability shows the gaps.
  const cargo = arnsberg.find((v) => v.label.endsWith('-L1'))!;
  for (const [i, h] of [24, 48].entries()) {
    await platform.gql(
      RESERVE_VEHICLE,
      reserveInput(cargo.id, hoursFromNow(h), hoursFromNow(h + 3), `ahead-${i}`),
      rider.token,
    );
  }
  // An e-bike out on a trip: it must vanish from vehicle_status.
  const bike = arnsberg.find((v) => v.label.endsWith('-E1'))!;
  const now = await platform.gql(
    RESERVE_VEHICLE,
    reserveInput(bike.id, new Date(), hoursFromNow(2), 'now'),
    rider.token,
  );
  const pending = platform.gql(START_TRIP, { id: now.data.reserveVehicle.id }, rider.token);
  for (let acked: string | undefined; !acked; await new Promise((r) => setTimeout(r, 10))) {
    acked = await ackNewestCommand(db, bike, 'ok', 'unlocked');
  }
  expect((await pending).data.startTrip.status).toBe('ACTIVE');
  // Batteries as the bridge reports them; one bike in the workshop; one station closed for returns.
  for (const v of arnsberg.slice(2, 6)) await reportFromDevice(db, v, { battery: 40 + v.label.length });
  const operator = await platform.staff('arnsberg', 'operator');
  const spare = arnsberg.find((v) => v.label.endsWith('-E2'))!;
  await platform.gql(
    'mutation($id: ID!) { updateSharedVehicle(id: $id, status: MAINTENANCE) { __typename } }',
    { id: spare.id },
    operator.token,
  );
  await platform.gql(
    'mutation($id: ID!) { updateMobilityStation(id: $id, input: { acceptsReturns: false }) { __typename } }',
    { id: spare.homeStationId },
    operator.token,
  );
});
afterAll(async () => {
  await platform?.dropDatabase();
});

async function get(path: string) {
  const response = await platform.app.request(path);
  return {
    response,
    body: response.status === 200 ? ((await response.json()) as Record<string, any>) : null,
  };
}

/** Every file a data set links from its gbfs.json, fetched and checked against its declared version. */
async function validateDataset(gbfsUrl: string): Promise<Record<string, any>> {
  const files: Record<string, any> = {};
  const discovery = await get(new URL(gbfsUrl).pathname);
  expect(discovery.response.status).toBe(200);
  const urls: { name: string; url: string }[] = [
    { name: 'gbfs', url: gbfsUrl },
    ...discovery.body!.data.feeds,
  ];
  for (const { name, url } of urls) {
    const { response, body } = await get(new URL(url).pathname);
    expect(response.status, url).toBe(200);
    const version = body!.version as '3.0' | '3.1-RC3';
    const validate = validators[version].get(name);
    expect(validate, `${version}/${name}`).toBeDefined();
    const valid = validate!(body);
    expect(validate!.errors ?? [], `${url} against v${version}/${name}.json`).toEqual([]);
    expect(valid).toBe(true);
    files[name] = body;
  }
  return files;
}

describe('GBFS feeds of the running system against the official schemas', () => {
  it('the validators are strict enough to fail: a file missing a required field is rejected', () => {
    const validate = validators['3.0'].get('station_status')!;
    const file = {
      last_updated: '2026-11-22T06:00:00Z',
      ttl: 30,
      version: '3.0',
      data: { stations: [{ station_id: 'x' }] },
    };
    expect(validate(file)).toBe(false);
    expect(
      validators['3.0'].get('gbfs_versions')!({
        ...file,
        data: { versions: [{ version: '3.1-RC3', url: 'http://x/gbfs.json' }] },
      }),
    ).toBe(false);
  });

  it('both manifests validate and list one data set per town with stations', async () => {
    for (const [path, version] of [
      ['/gbfs/manifest.json', '3.0'],
      ['/gbfs/v3.1-RC3/manifest.json', '3.1-RC3'],
    ] as const) {
      const { body } = await get(path);
      expect(body!.version).toBe(version);
      const validate = validators[version].get('manifest')!;
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      expect(body!.data.datasets.map((d: { system_id: string }) => d.system_id)).toEqual([
        'swf-arnsberg',
        'swf-soest',
      ]);
    }
  });

  it('every file of the 3.0 and 3.1-RC3 data sets of Arnsberg and Soest validates, discovered from the manifests', async () => {
    const { body } = await get('/gbfs/v3.1-RC3/manifest.json');
    let checked = 0;
    for (const dataset of body!.data.datasets) {
      expect(dataset.versions.map((v: { version: string }) => v.version)).toEqual(['3.0', '3.1-RC3']);
      for (const { url } of dataset.versions) checked += Object.keys(await validateDataset(url)).length;
    }
    // 9 files in 3.0 and 10 in 3.1-RC3, for two towns.
    expect(checked).toBe(2 * (9 + 10));
  });

  it('the feeds carry the live state: trips hidden, reservations and maintenance shown, returns closed', async () => {
    const { url } = (await get('/gbfs/v3.1-RC3/manifest.json')).body!.data.datasets[0].versions[1];
    const files = await validateDataset(url);
    const arnsberg = await vehicles('arnsberg');
    const inUse = arnsberg.filter((v) => v.status === 'in_use');
    expect(inUse).toHaveLength(1);
    const published = files.vehicle_status.data.vehicles as {
      vehicle_id: string;
      is_disabled: boolean;
      current_range_meters?: number;
    }[];
    expect(published).toHaveLength(arnsberg.length - 1);
    expect(published.filter((v) => v.is_disabled)).toHaveLength(1);
    expect(published.some((v) => v.current_range_meters !== undefined)).toBe(true);
    // Rotating ids only: neither the vehicle's own id nor its device shows.
    const text = JSON.stringify(files.vehicle_status);
    for (const v of arnsberg) {
      expect(text).not.toContain(v.id);
      expect(text).not.toContain(v.deviceId);
    }
    const cargo = (
      files.vehicle_availability.data.vehicles as {
        vehicle_id: string;
        availabilities: { until?: string }[];
      }[]
    ).find((v) => v.vehicle_id === arnsberg.find((x) => x.label.endsWith('-L1'))!.id)!;
    expect(cargo.availabilities).toHaveLength(3);
    expect(cargo.availabilities.at(-1)!.until).toBeUndefined();
    expect((files.system_alerts.data.alerts as unknown[]).length).toBe(1);
    expect(
      files.vehicle_types.data.vehicle_types
        .map((t: { vehicle_type_id: string }) => t.vehicle_type_id)
        .sort(),
    ).toEqual(['cargo-e', 'e-bike']);
    // The town's trip tariffs as pricing plans, each named by the vehicle types it prices.
    const plans = files.system_pricing_plans.data.plans as {
      plan_id: string;
      per_min_pricing: { rate: number; interval: number }[];
    }[];
    expect(plans.map((p) => p.per_min_pricing)).toEqual([
      [{ start: 0, rate: 1.5, interval: 60 }],
      [{ start: 0, rate: 2.5, interval: 60 }],
    ]);
    const cargoType = files.vehicle_types.data.vehicle_types.find(
      (t: { vehicle_type_id: string }) => t.vehicle_type_id === 'cargo-e',
    );
    expect(cargoType.default_pricing_plan_id).toBe(plans[1]!.plan_id);
  });
});
