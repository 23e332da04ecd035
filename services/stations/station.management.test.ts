import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';
import { type Actor, withActor } from '../core/tenancy.ts';
import {
  ackNewestCommand,
  createStation,
  createVehicle,
  createVehicleType,
  reportFromDevice,
} from './station.fixtures.ts';
import { RESERVE_VEHICLE, reserveInput, START_TRIP } from './station.operations.fixtures.ts';
import { vehicleTelemetryRepository } from './vehicle-telemetry.repository.ts';

/** Operators run their town's stations and fleet; nobody else does; riders see only their own bike's device. */
type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;
let operator: { token: string };

beforeAll(async () => {
  platform = await createTestPlatform({ env: { LOCK_COMMAND_TIMEOUT_MS: '3000' } });
  operator = await platform.staff('soest', 'operator');
});
afterAll(async () => {
  await platform?.dropDatabase();
});

const CREATE_STATION = `mutation($input: MobilityStationInput!) { createMobilityStation(input: $input) {
  __typename ... on MobilityStation { id name vehicleCapacity chargingPoints busStop { ref name } bikeGarage { id kind } tenant { id } }
  ... on ValidationError { field } ... on Error { message } } }`;
const CREATE_TYPE = `mutation($input: VehicleTypeInput!) { createVehicleType(input: $input) {
  __typename ... on VehicleType { id code formFactor propulsion maxRangeMeters } ... on ValidationError { field } } }`;
const CREATE_VEHICLE = `mutation($input: SharedVehicleInput!) { createSharedVehicle(input: $input) {
  __typename ... on SharedVehicle { id label status station { id } deviceId } ... on ValidationError { field }
  ... on StationFullError { stationId } } }`;

const stationInput = (extra: Record<string, unknown> = {}) => ({
  name: 'Mobilstation Grandweg',
  position: { lat: 51.5713, lon: 8.1059 },
  postalCode: '59494',
  vehicleCapacity: 2,
  ...extra,
});

describe('station and fleet management', () => {
  it('an operator creates a station linked to a bike garage, a vehicle type and a vehicle', async () => {
    const garage = await createGarage(platform.database.db, { tenantId: 'soest' });
    const created = await platform.gql(
      CREATE_STATION,
      {
        input: stationInput({
          chargingPoints: 2,
          busStopRef: 'de:05974:40077',
          busStopName: 'Grandweg',
          bikeGarageSiteId: garage.site.id,
        }),
      },
      operator.token,
    );
    const station = created.data.createMobilityStation;
    expect(station).toMatchObject({
      __typename: 'MobilityStation',
      vehicleCapacity: 2,
      chargingPoints: 2,
      busStop: { ref: 'de:05974:40077', name: 'Grandweg' },
      bikeGarage: { id: garage.site.id, kind: 'bike_garage' },
      tenant: { id: 'soest' },
    });
    const type = await platform.gql(
      CREATE_TYPE,
      {
        input: {
          code: 'cargo-e',
          name: 'E-Lastenrad',
          formFactor: 'CARGO_BICYCLE',
          propulsion: 'ELECTRIC_ASSIST',
          maxRangeMeters: 50000,
        },
      },
      operator.token,
    );
    expect(type.data.createVehicleType).toMatchObject({
      __typename: 'VehicleType',
      formFactor: 'CARGO_BICYCLE',
    });
    const vehicleInput = {
      vehicleTypeId: type.data.createVehicleType.id,
      label: 'SOE-L1',
      deviceId: 'soe-l1',
      homeStationId: station.id,
    };
    const vehicle = await platform.gql(CREATE_VEHICLE, { input: vehicleInput }, operator.token);
    expect(vehicle.data.createSharedVehicle).toMatchObject({
      status: 'AVAILABLE',
      station: { id: station.id },
      deviceId: 'soe-l1',
    });

    // Rules the database keeps, as errors naming the field.
    expect(
      (await platform.gql(CREATE_VEHICLE, { input: vehicleInput }, operator.token)).data.createSharedVehicle,
    ).toEqual({
      __typename: 'ValidationError',
      field: 'label',
    });
    // The second place goes to a second bike; a third finds the station full.
    const more = (n: number) => ({ ...vehicleInput, label: `SOE-L${n}`, deviceId: `soe-l${n}` });
    expect(
      (await platform.gql(CREATE_VEHICLE, { input: more(2) }, operator.token)).data.createSharedVehicle
        .status,
    ).toBe('AVAILABLE');
    expect(
      (await platform.gql(CREATE_VEHICLE, { input: more(3) }, operator.token)).data.createSharedVehicle,
    ).toEqual({ __typename: 'StationFullError', stationId: station.id });
    expect(
      (
        await platform.gql(
          CREATE_TYPE,
          { input: { code: 'moped', name: 'Moped', formFactor: 'MOPED', propulsion: 'ELECTRIC' } },
          operator.token,
        )
      ).data.createVehicleType,
    ).toEqual({ __typename: 'ValidationError', field: 'maxRangeMeters' });
  });

  it('a bike garage link must be a bike garage of the same town', async () => {
    const olpeGarage = await createGarage(platform.database.db, { tenantId: 'olpe' });
    const soestStation = await createStation(platform.database.db, 'soest');
    for (const bikeGarageSiteId of [olpeGarage.site.id, soestStation.id]) {
      const result = await platform.gql(
        CREATE_STATION,
        { input: stationInput({ bikeGarageSiteId }) },
        operator.token,
      );
      expect(result.data.createMobilityStation).toMatchObject({
        __typename: 'ValidationError',
        field: 'bikeGarageSiteId',
      });
    }
    expect(
      (await platform.gql(CREATE_STATION, { input: stationInput({ vehicleCapacity: 501 }) }, operator.token))
        .data.createMobilityStation,
    ).toMatchObject({ __typename: 'ValidationError', field: 'vehicleCapacity' });
    expect(
      (await platform.gql(CREATE_STATION, { input: stationInput({ vehicleCapacity: 500 }) }, operator.token))
        .data.createMobilityStation.__typename,
    ).toBe('MobilityStation');
  });

  it('other towns’ staff, planners and commuters manage nothing', async () => {
    const station = await createStation(platform.database.db, 'soest');
    const UPDATE = `mutation($id: ID!) { updateMobilityStation(id: $id, input: { isRenting: false }) { __typename } }`;
    const olpe = await platform.staff('olpe', 'operator');
    const planner = await platform.staff('soest', 'planner');
    const commuter = await platform.commuter();
    expect(
      (await platform.gql(UPDATE, { id: station.id }, olpe.token)).data.updateMobilityStation.__typename,
    ).toBe('NotFoundError');
    expect(
      (await platform.gql(UPDATE, { id: station.id }, planner.token)).data.updateMobilityStation.__typename,
    ).toBe('ForbiddenError');
    expect(
      (await platform.gql(UPDATE, { id: station.id }, commuter.token)).data.updateMobilityStation.__typename,
    ).toBe('ForbiddenError');
    const fleet = await platform.gql('{ tenantVehicles { id } }', {}, olpe.token);
    expect(fleet.data.tenantVehicles).toEqual([]);
  });

  it('a vehicle in maintenance cannot be reserved; back in service it can', async () => {
    const station = await createStation(platform.database.db, 'soest');
    const vehicle = await createVehicle(
      platform.database.db,
      station,
      await createVehicleType(platform.database.db, 'soest'),
    );
    const SET = `mutation($id: ID!, $s: OperatorVehicleStatus) { updateSharedVehicle(id: $id, status: $s) { __typename ... on SharedVehicle { status } } }`;
    expect(
      (await platform.gql(SET, { id: vehicle.id, s: 'MAINTENANCE' }, operator.token)).data.updateSharedVehicle
        .status,
    ).toBe('MAINTENANCE');
    const rider = await platform.commuter();
    const reserve = (key: string) =>
      platform.gql(
        RESERVE_VEHICLE,
        reserveInput(vehicle.id, hoursFromNow(5), hoursFromNow(6), key),
        rider.token,
      );
    expect((await reserve('a')).data.reserveVehicle.__typename).toBe('VehicleUnavailableError');
    await platform.gql(SET, { id: vehicle.id, s: 'AVAILABLE' }, operator.token);
    expect((await reserve('b')).data.reserveVehicle.__typename).toBe('VehicleReservation');
  });

  it('a rider reads the telematics of the bike they ride, during the trip only; nobody else does', async () => {
    const db = platform.database.db;
    const station = await createStation(db, 'soest');
    const vehicle = await createVehicle(db, station, await createVehicleType(db, 'soest'));
    await reportFromDevice(db, vehicle, {
      door: 'door_closed',
      lockState: 'locked',
      position: station.position,
    });
    const rider = await platform.commuter('reader');
    const other = await platform.commuter('snoop');
    const asCommuter = (id: string): Actor => ({ role: 'commuter', accountId: id, tenantId: null });
    const read = (id: string) =>
      withActor(db, asCommuter(id), (tx) =>
        vehicleTelemetryRepository.lockReading(tx, 'soest', vehicle.deviceId, new Date(0)),
      );
    expect(await read(rider.id)).toBeUndefined();

    const reserved = await platform.gql(
      RESERVE_VEHICLE,
      reserveInput(vehicle.id, new Date(), hoursFromNow(2), 'r'),
      rider.token,
    );
    const pending = platform.gql(START_TRIP, { id: reserved.data.reserveVehicle.id }, rider.token);
    for (let acked: string | undefined; !acked; await new Promise((r) => setTimeout(r, 10))) {
      acked = await ackNewestCommand(db, vehicle, 'ok', 'unlocked');
    }
    expect((await pending).data.startTrip.status).toBe('ACTIVE');
    expect(await read(rider.id)).toMatchObject({ lockState: 'unlocked' });
    expect(await read(other.id)).toBeUndefined();
    // Readings from before the trip stay hidden from the rider.
    const track = await withActor(db, asCommuter(rider.id), (tx) =>
      vehicleTelemetryRepository.track(tx, 'soest', vehicle.deviceId, new Date(0)),
    );
    expect(track).toEqual([]);
  });
});
