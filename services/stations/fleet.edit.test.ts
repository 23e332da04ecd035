import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform } from '../../test/support/platform.ts';
import { createStation, createVehicle, createVehicleType, reportFromDevice } from './station.fixtures.ts';
import type { Vehicle } from './vehicle.ts';

/**
 * What the operator page needs beyond create: edit a vehicle's type, label and telematics
 * device, read its live telematics (staff of its town only), and set the town's one-way rule.
 */
type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;
let operator: { token: string };
let vehicle: Vehicle;
let cargoTypeId: string;

const EDIT = `mutation($id: ID!, $type: ID, $label: String, $device: String) {
  updateSharedVehicle(id: $id, vehicleTypeId: $type, label: $label, deviceId: $device) {
    __typename ... on SharedVehicle { label deviceId type { id } } ... on ValidationError { field }
  } }`;
const LIVE = `query($id: ID!) { sharedVehicle(id: $id) {
  telematics { lockState doorOpen batteryPercent lat lon } } }`;
const ONE_WAY = `mutation($allowed: Boolean!) { setOneWayReturns(allowed: $allowed) {
  __typename ... on Tenant { id } } }`;

beforeAll(async () => {
  platform = await createTestPlatform();
  operator = await platform.staff('soest', 'operator');
  const db = platform.database.db;
  const station = await createStation(db, 'soest', { lat: 51.5713, lon: 8.1059, vehicleCapacity: 3 });
  vehicle = await createVehicle(db, station, await createVehicleType(db, 'soest', { code: 'e-bike' }));
  cargoTypeId = (await createVehicleType(db, 'soest', { formFactor: 'cargo_bicycle', code: 'cargo' })).id;
});
afterAll(async () => {
  await platform?.dropDatabase();
});

describe('editing vehicles and the town’s return rule', () => {
  it('an operator changes a vehicle’s type, label and device; a new device is registered', async () => {
    const edited = await platform.gql(
      EDIT,
      { id: vehicle.id, type: cargoTypeId, label: 'SOE-L77', device: 'soe-tracker-77' },
      operator.token,
    );
    expect(edited.data.updateSharedVehicle).toEqual({
      __typename: 'SharedVehicle',
      label: 'SOE-L77',
      deviceId: 'soe-tracker-77',
      type: { id: cargoTypeId },
    });
    const bad = await platform.gql(EDIT, { id: vehicle.id, device: 'no spaces allowed' }, operator.token);
    expect(bad.data.updateSharedVehicle).toEqual({ __typename: 'ValidationError', field: 'deviceId' });
    const foreign = await platform.staff('arnsberg', 'operator');
    const refused = await platform.gql(EDIT, { id: vehicle.id, label: 'X' }, foreign.token);
    expect(refused.data.updateSharedVehicle.__typename).toBe('NotFoundError');
  });

  it('staff of the town read the live lock, battery and position; others read nothing', async () => {
    const now = { ...vehicle, deviceId: 'soe-tracker-77' };
    await reportFromDevice(platform.database.db, now, {
      lockState: 'locked',
      door: 'door_closed',
      battery: 64,
      position: { lat: 51.5714, lon: 8.106 },
    });
    const live = await platform.gql(LIVE, { id: vehicle.id }, operator.token);
    expect(live.data.sharedVehicle.telematics).toEqual({
      lockState: 'locked',
      doorOpen: false,
      batteryPercent: 64,
      lat: 51.5714,
      lon: 8.106,
    });
    const rider = await platform.commuter('curious');
    expect(
      (await platform.gql(LIVE, { id: vehicle.id }, rider.token)).data.sharedVehicle.telematics,
    ).toBeNull();
    const foreign = await platform.staff('arnsberg', 'admin');
    expect((await platform.gql(LIVE, { id: vehicle.id }, foreign.token)).data.sharedVehicle).toBeNull();
  });

  it('an operator sets one-way returns for their own town only; a planner may not', async () => {
    const rule = `query { mobilityStations(tenant: "soest") { edges { node { oneWayReturns } } } }`;
    const set = await platform.gql(ONE_WAY, { allowed: true }, operator.token);
    expect(set.data.setOneWayReturns).toEqual({ __typename: 'Tenant', id: 'soest' });
    expect((await platform.gql(rule)).data.mobilityStations.edges[0].node.oneWayReturns).toBe(true);
    const planner = await platform.staff('soest', 'planner');
    const refused = await platform.gql(ONE_WAY, { allowed: false }, planner.token);
    expect(refused.data.setOneWayReturns.__typename).toBe('ForbiddenError');
    expect((await platform.gql(rule)).data.mobilityStations.edges[0].node.oneWayReturns).toBe(true);
  });
});
