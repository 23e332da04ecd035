import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGarage } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { spaceRepository } from '../garages/space.repository.ts';
import { createStation, createVehicle, createVehicleType } from './station.fixtures.ts';
import { RESERVE_VEHICLE, reserveInput } from './station.operations.fixtures.ts';
import type { MobilityStation } from './station.ts';

/** "A free cargo bike at 9:00 within 1 km, and a bike box at the station." */
type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;
const TOWN = 'bad-berleburg';
const HERE = { lat: 51.0531, lon: 8.3934 };
let withBox: MobilityStation;
let bikeOnly: MobilityStation;
let bikeTaken: MobilityStation;
let farAway: MobilityStation;
let window: { from: Date; to: Date };

const SEARCH = `
  query($near: GeoPointInput!, $radius: Float!, $from: DateTime!, $to: DateTime!, $modes: [ModeRequestInput!]!) {
    intermodalSearch(near: $near, radiusKm: $radius, from: $from, to: $to, modes: $modes) {
      station { id } distanceKm freeVehicles { id type { formFactor } } freeSpaces { id type }
    }
  }`;

const search = (modes: unknown[], radius = 1) =>
  platform.gql(SEARCH, { near: HERE, radius, from: window.from, to: window.to, modes });

beforeAll(async () => {
  platform = await createTestPlatform();
  const db = platform.database.db;
  // Tomorrow 9:00–11:00 (UTC is close enough: only the overlap matters).
  const from = new Date();
  from.setUTCDate(from.getUTCDate() + 1);
  from.setUTCHours(9, 0, 0, 0);
  window = { from, to: new Date(from.getTime() + 2 * 3_600_000) };

  const cargo = await createVehicleType(db, TOWN, { formFactor: 'cargo_bicycle' });
  const ebike = await createVehicleType(db, TOWN, { formFactor: 'bicycle' });
  const garage = await createGarage(db, {
    tenantId: TOWN,
    spaces: { STANDARD: 1 },
    lat: 51.0533,
    lon: 8.3936,
  });
  // 100 m away, a cargo bike, and its boxes in the bike garage next door.
  withBox = await createStation(db, TOWN, {
    lat: 51.054,
    lon: 8.3934,
    bikeGarageSiteId: garage.site.id,
    chargingPoints: 2,
  });
  await createVehicle(db, withBox, cargo);
  // 300 m away: cargo bike, no boxes.
  bikeOnly = await createStation(db, TOWN, { lat: 51.0558, lon: 8.3934 });
  await createVehicle(db, bikeOnly, cargo);
  // 500 m away: boxes at the station itself, but its only cargo bike is reserved 8:30–10:00.
  bikeTaken = await createStation(db, TOWN, { lat: 51.0576, lon: 8.3934 });
  await withActor(db, systemActor, (tx) =>
    spaceRepository.insert(tx, TOWN, { siteId: bikeTaken.id, label: 'B1', type: 'STANDARD' }),
  );
  const taken = await createVehicle(db, bikeTaken, cargo);
  await createVehicle(db, bikeTaken, ebike);
  const rider = await platform.commuter('early-bird');
  const reserved = await platform.gql(
    RESERVE_VEHICLE,
    reserveInput(
      taken.id,
      new Date(from.getTime() - 30 * 60_000),
      new Date(from.getTime() + 60 * 60_000),
      'early',
    ),
    rider.token,
  );
  expect(reserved.data.reserveVehicle.__typename).toBe('VehicleReservation');
  // 3 km away: everything, but too far.
  farAway = await createStation(db, TOWN, { lat: 51.08, lon: 8.3934 });
  await createVehicle(db, farAway, cargo);
});
afterAll(async () => {
  await platform?.dropDatabase();
});

const ids = (result: { data: Record<string, any> }): string[] =>
  result.data.intermodalSearch.map((m: { station: { id: string } }) => m.station.id);

describe('intermodal search', () => {
  it('finds only stations with a free cargo bike for the window and a free bike box at the station', async () => {
    const result = await search([
      { mode: 'SHARED_VEHICLE', formFactor: 'CARGO_BICYCLE' },
      { mode: 'BIKE_BOX' },
    ]);
    expect(ids(result)).toEqual([withBox.id]);
    const match = result.data.intermodalSearch[0];
    expect(match.distanceKm).toBeCloseTo(0.1, 1);
    expect(match.freeVehicles.map((v: { type: { formFactor: string } }) => v.type.formFactor)).toEqual([
      'CARGO_BICYCLE',
    ]);
    expect(match.freeSpaces).toHaveLength(1);
  });

  it('nearest first; a reserved bike does not count; the radius bounds the search', async () => {
    expect(ids(await search([{ mode: 'SHARED_VEHICLE', formFactor: 'CARGO_BICYCLE' }]))).toEqual([
      withBox.id,
      bikeOnly.id,
    ]);
    expect(ids(await search([{ mode: 'SHARED_VEHICLE' }]))).toEqual([withBox.id, bikeOnly.id, bikeTaken.id]);
    expect(ids(await search([{ mode: 'SHARED_VEHICLE', formFactor: 'CARGO_BICYCLE' }], 5))).toEqual([
      withBox.id,
      bikeOnly.id,
      farAway.id,
    ]);
    expect(ids(await search([{ mode: 'SHARED_VEHICLE', count: 2 }]))).toEqual([]);
    expect(ids(await search([{ mode: 'CHARGING', count: 2 }]))).toEqual([withBox.id]);
    expect(ids(await search([{ mode: 'CHARGING', count: 3 }]))).toEqual([]);
  });

  it('a box booked for the window takes the station out', async () => {
    const commuter = await platform.commuter('boxer');
    const [space] = await withActor(platform.database.db, systemActor, (tx) =>
      spaceRepository.listBySite(tx, withBox.bikeGarageSiteId!),
    );
    const booked = await platform.gql(
      `mutation($input: CreateBookingInput!) { createBooking(input: $input) { __typename } }`,
      { input: { spaceId: space!.id, from: window.from, to: window.to, idempotencyKey: 'box' } },
      commuter.token,
    );
    expect(booked.data.createBooking.__typename).toBe('Booking');
    expect(
      ids(await search([{ mode: 'SHARED_VEHICLE', formFactor: 'CARGO_BICYCLE' }, { mode: 'BIKE_BOX' }])),
    ).toEqual([]);
  });

  it('the station page shows the same availability', async () => {
    const page = await platform.gql(
      `query($id: ID!, $from: DateTime!, $to: DateTime!) { mobilityStation(id: $id) {
         vehiclesParked freePlaces
         availability(from: $from, to: $to) { freeVehicleCount freeSpaceCount }
         cargo: availability(from: $from, to: $to, formFactor: CARGO_BICYCLE) { freeVehicleCount } } }`,
      { id: bikeTaken.id, ...window },
    );
    expect(page.data.mobilityStation).toEqual({
      vehiclesParked: 2,
      freePlaces: 2,
      availability: { freeVehicleCount: 1, freeSpaceCount: 1 },
      cargo: { freeVehicleCount: 0 },
    });
  });

  it('garage availability lists a station only where it has boxes of its own', async () => {
    const near = await platform.gql(
      `query($near: GeoPointInput!, $from: DateTime!, $to: DateTime!) {
         availabilityNear(near: $near, radiusKm: 1, from: $from, to: $to) { site { id kind } } }`,
      { near: HERE, ...window },
    );
    const listed = near.data.availabilityNear.map((a: { site: { id: string; kind: string } }) => a.site);
    expect(listed.map((s: { kind: string }) => s.kind).sort()).toEqual(['bike_garage', 'mobility_station']);
    expect(listed.find((s: { kind: string }) => s.kind === 'mobility_station').id).toBe(bikeTaken.id);
  });

  it('rejects searches without modes, with too many, or beyond the radius limit', async () => {
    const field = async (modes: unknown[], radius = 1) => {
      const r = await search(modes, radius);
      return r.errors?.[0]?.extensions?.code;
    };
    expect(await field([])).toBe('ValidationError');
    expect(await field(Array(7).fill({ mode: 'BENCH' }))).toBe('ValidationError');
    expect(await field(Array(6).fill({ mode: 'BENCH' }))).toBeUndefined();
    expect(await field([{ mode: 'BENCH' }], 51)).toBe('ValidationError');
    expect(await field([{ mode: 'BENCH', count: 11 }])).toBe('ValidationError');
    expect(await field([{ mode: 'BENCH', count: 10 }])).toBeUndefined();
  });
});
