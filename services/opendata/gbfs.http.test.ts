import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';
import { ManualClock } from '../core/clock.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { seedDemoStations } from '../stations/demo/seed-stations.ts';
import { RESERVE_VEHICLE, reserveInput } from '../stations/station.operations.fixtures.ts';
import { stationRepository } from '../stations/station.repository.ts';
import { vehicleRepository } from '../stations/vehicle.repository.ts';
import { publicReaderOf } from './gbfs.data.ts';
import { FEEDS_V31, REALTIME_TTL_SECONDS } from './gbfs.ts';

/** Caching, time, tenant separation and privacy of the GBFS endpoints (HTTP through the API). */
type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;
// Ten seconds into a 30-second window, so the window and max-age are known.
const clock = new ManualClock(new Date(Math.floor(Date.now() / 30_000) * 30_000 + 10_000));
let rider: { token: string; id: string; email: string };
let reservationId: string;

beforeAll(async () => {
  platform = await createTestPlatform({ clock, env: { OPENDATA_IN_API: 'true' } });
  await seedDemoStations(platform.database.db);
  rider = await platform.commuter('private-person');
  const [vehicle] = await withActor(platform.database.db, systemActor, (tx) =>
    vehicleRepository.list(tx, { tenantId: 'soest' }),
  );
  const reserved = await platform.gql(
    RESERVE_VEHICLE,
    reserveInput(vehicle!.id, hoursFromNow(30, clock.now()), hoursFromNow(32, clock.now()), 'p'),
    rider.token,
  );
  reservationId = reserved.data.reserveVehicle.id;
});
afterAll(async () => {
  await platform?.dropDatabase();
});

const get = (path: string, headers: Record<string, string> = {}) => platform.app.request(path, { headers });

describe('GBFS over HTTP', () => {
  it('answers with ETag and Cache-Control that ends with the publication window, and 304 on If-None-Match', async () => {
    const first = await get('/gbfs/arnsberg/station_status.json');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(first.headers.get('cache-control')).toBe(`public, max-age=${REALTIME_TTL_SECONDS - 10}`);
    const body = (await first.json()) as { last_updated: string; ttl: number };
    expect(body.ttl).toBe(REALTIME_TTL_SECONDS);
    expect(Date.parse(body.last_updated)).toBe(clock.now().getTime() - 10_000);

    const again = await get('/gbfs/arnsberg/station_status.json', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    expect(
      (await get('/gbfs/arnsberg/station_status.json', { 'If-None-Match': `"other", W/${etag}` })).status,
    ).toBe(304);
    expect((await get('/gbfs/arnsberg/station_status.json', { 'If-None-Match': '"other"' })).status).toBe(
      200,
    );

    // The next window is a new version of the file: new last_updated, new ETag.
    clock.advance(REALTIME_TTL_SECONDS * 1000);
    const next = await get('/gbfs/arnsberg/station_status.json', { 'If-None-Match': etag });
    expect(next.status).toBe(200);
    expect(next.headers.get('etag')).not.toBe(etag);
  });

  it('a change of the data changes the ETag within the window', async () => {
    const before = await get('/gbfs/soest/station_status.json');
    const station = (
      await withActor(platform.database.db, systemActor, (tx) =>
        stationRepository.list(tx, { tenantId: 'soest' }, { limit: 1, offset: 0 }),
      )
    )[0]!;
    const operator = await platform.staff('soest', 'operator');
    await platform.gql(
      'mutation($id: ID!) { updateMobilityStation(id: $id, input: { isRenting: false }) { __typename } }',
      { id: station.id },
      operator.token,
    );
    const after = await get('/gbfs/soest/station_status.json', {
      'If-None-Match': before.headers.get('etag')!,
    });
    expect(after.status).toBe(200);
    const status = (await after.json()) as {
      data: { stations: { station_id: string; is_renting: boolean }[] };
    };
    expect(status.data.stations.find((s) => s.station_id === station.id)!.is_renting).toBe(false);
  });

  it('one town’s feeds never show another town’s stations or vehicles', async () => {
    const db = platform.database.db;
    const all = await withActor(db, systemActor, async (tx) => ({
      stations: await stationRepository.list(tx, {}, { limit: 100, offset: 0 }),
      vehicles: await vehicleRepository.list(tx, {}),
    }));
    for (const [town, other] of [
      ['arnsberg', 'soest'],
      ['soest', 'arnsberg'],
    ]) {
      const foreign = [
        ...all.stations.filter((s) => s.tenantId === other).map((s) => s.id),
        ...all.vehicles
          .filter((v) => v.tenantId === other)
          .flatMap((v) => [v.id, v.publicId, v.label, v.deviceId]),
      ];
      const own = all.vehicles.filter((v) => v.tenantId === town);
      for (const feed of FEEDS_V31) {
        const text = await (await get(`/gbfs/${town}/v3.1-RC3/${feed}.json`)).text();
        for (const id of foreign) expect(text, `${town}/${feed}`).not.toContain(id);
      }
      const status = (await (await get(`/gbfs/${town}/vehicle_status.json`)).json()) as {
        data: { vehicles: unknown[] };
      };
      expect(status.data.vehicles).toHaveLength(own.length);
    }
  });

  it('the public reader of a town cannot see another town’s rows even when a query forgets the filter', async () => {
    const seen = await withActor(platform.database.db, publicReaderOf('arnsberg'), async (tx) => ({
      vehicles: await vehicleRepository.list(tx, {}),
      stations: await stationRepository.list(tx, {}, { limit: 100, offset: 0 }),
      types: await vehicleRepository.listTypes(tx),
    }));
    expect(seen.vehicles.length).toBeGreaterThan(0);
    expect(new Set([...seen.vehicles, ...seen.stations, ...seen.types].map((r) => r.tenantId))).toEqual(
      new Set(['arnsberg']),
    );
  });

  it('publishes nothing personal: no account, e-mail, reservation id, device id or position of a vehicle', async () => {
    const vehicles = await withActor(platform.database.db, systemActor, (tx) =>
      vehicleRepository.list(tx, {}),
    );
    for (const town of ['arnsberg', 'soest']) {
      for (const feed of FEEDS_V31) {
        const text = await (await get(`/gbfs/${town}/v3.1-RC3/${feed}.json`)).text();
        for (const secret of [rider.id, rider.email, reservationId, ...vehicles.map((v) => v.deviceId)]) {
          expect(text).not.toContain(secret);
        }
        if (feed === 'vehicle_status') expect(text).not.toMatch(/"lat"|"lon"/);
      }
    }
  });

  it('answers 404 for unknown towns and files, and lists only towns with stations in the manifest', async () => {
    expect((await get('/gbfs/atlantis/gbfs.json')).status).toBe(404);
    expect((await get('/gbfs/arnsberg/free_bike_status.json')).status).toBe(404);
    expect((await get('/gbfs/arnsberg/vehicle_availability.json')).status).toBe(404);
    expect((await get('/gbfs/Arnsberg;drop/gbfs.json')).status).toBe(404);
    const manifest = (await (await get('/gbfs/manifest.json')).json()) as {
      data: { datasets: { system_id: string }[] };
    };
    expect(manifest.data.datasets.map((d) => d.system_id)).toEqual(['swf-arnsberg', 'swf-soest']);
  });
});
