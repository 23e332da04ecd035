import type { FormFactor, Propulsion } from '../vehicle.ts';

/**
 * Demo mobility stations (Smarte Mobilstationen) in Arnsberg and Soest. Positions are
 * approximate; bus stop ids follow the DHID pattern but are made up. Vehicles count per type.
 */
export interface DemoVehicleType {
  code: string;
  name: string;
  formFactor: FormFactor;
  propulsion: Propulsion;
  maxRangeMeters: number;
  cargoLoadKg: number | null;
}

export interface DemoStation {
  tenantId: string;
  ref: string;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  lat: number;
  lon: number;
  vehicleCapacity: number;
  chargingPoints: number;
  busStopRef: string | null;
  busStopName: string | null;
  /** external_ref of a demo bike garage whose boxes belong to the station. */
  garageRef: string | null;
  vehicles: Record<string, number>;
}

export const demoVehicleTypes: DemoVehicleType[] = [
  {
    code: 'e-bike',
    name: 'E-Bike (Pedelec)',
    formFactor: 'bicycle',
    propulsion: 'electric_assist',
    maxRangeMeters: 70_000,
    cargoLoadKg: null,
  },
  {
    code: 'cargo-e',
    name: 'E-Lastenrad',
    formFactor: 'cargo_bicycle',
    propulsion: 'electric_assist',
    maxRangeMeters: 50_000,
    cargoLoadKg: 100,
  },
];

/** Towns whose riders may return a vehicle at another station of the town in the demo. */
export const demoOneWayTowns = ['arnsberg'];

export const demoStations: DemoStation[] = [
  {
    tenantId: 'arnsberg',
    ref: 'ARN-MS-BHF',
    name: 'Mobilstation Bahnhof Arnsberg',
    street: 'Bahnhofstraße',
    postalCode: '59821',
    city: 'Arnsberg',
    lat: 51.3976,
    lon: 8.0637,
    vehicleCapacity: 8,
    chargingPoints: 4,
    busStopRef: 'de:05958:30001',
    busStopName: 'Arnsberg Bahnhof',
    garageRef: 'ARN-BHF',
    vehicles: { 'e-bike': 3, 'cargo-e': 2 },
  },
  {
    tenantId: 'arnsberg',
    ref: 'ARN-MS-NEU',
    name: 'Mobilstation Neumarkt',
    street: 'Neumarkt',
    postalCode: '59821',
    city: 'Arnsberg',
    lat: 51.3968,
    lon: 8.0689,
    vehicleCapacity: 6,
    chargingPoints: 2,
    busStopRef: 'de:05958:30002',
    busStopName: 'Arnsberg Neumarkt',
    garageRef: null,
    vehicles: { 'e-bike': 2, 'cargo-e': 1 },
  },
  {
    tenantId: 'arnsberg',
    ref: 'ARN-MS-NEH',
    name: 'Mobilstation Neheim Markt',
    street: 'Hauptstraße',
    postalCode: '59755',
    city: 'Arnsberg',
    lat: 51.4497,
    lon: 7.9604,
    vehicleCapacity: 6,
    chargingPoints: 2,
    busStopRef: 'de:05958:30003',
    busStopName: 'Neheim Markt',
    garageRef: 'ARN-NEH',
    vehicles: { 'e-bike': 2, 'cargo-e': 1 },
  },
  {
    tenantId: 'soest',
    ref: 'SOE-MS-BHF',
    name: 'Mobilstation Bahnhof Soest',
    street: 'Bahnhofstraße',
    postalCode: '59494',
    city: 'Soest',
    lat: 51.5785,
    lon: 8.1079,
    vehicleCapacity: 6,
    chargingPoints: 4,
    busStopRef: 'de:05974:40001',
    busStopName: 'Soest Bahnhof',
    garageRef: 'SOE-BHF',
    vehicles: { 'e-bike': 3, 'cargo-e': 1 },
  },
  {
    tenantId: 'soest',
    ref: 'SOE-MS-MKT',
    name: 'Mobilstation Marktplatz Soest',
    street: 'Markt',
    postalCode: '59494',
    city: 'Soest',
    lat: 51.5713,
    lon: 8.1059,
    vehicleCapacity: 4,
    chargingPoints: 0,
    busStopRef: null,
    busStopName: null,
    garageRef: null,
    vehicles: { 'e-bike': 1, 'cargo-e': 1 },
  },
];
