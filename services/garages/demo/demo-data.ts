import type { SpaceType } from '../space.ts';

/**
 * Demo garages near each town's railway station. Positions are approximate station
 * forecourts; space counts lie between 10 and 60 as in real bike-box installations.
 */
export interface DemoSite {
  tenantId: string;
  ref: string;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  lat: number;
  lon: number;
  openingHours: string;
  spaces: Partial<Record<SpaceType, number>>;
}

export const demoSites: DemoSite[] = [
  {
    tenantId: 'arnsberg',
    ref: 'ARN-BHF',
    name: 'Fahrradparkhaus Bahnhof Arnsberg',
    street: 'Bahnhofstraße',
    postalCode: '59821',
    city: 'Arnsberg',
    lat: 51.3979,
    lon: 8.0631,
    openingHours: '24/7',
    spaces: { STANDARD: 30, E_BIKE_CHARGING: 12, CARGO: 4, LARGE: 2 },
  },
  {
    tenantId: 'arnsberg',
    ref: 'ARN-NEH',
    name: 'Radboxen Bahnhof Neheim-Hüsten',
    street: 'Bahnhofstraße',
    postalCode: '59755',
    city: 'Arnsberg',
    lat: 51.4504,
    lon: 7.9613,
    openingHours: '24/7',
    spaces: { STANDARD: 12, E_BIKE_CHARGING: 6 },
  },
  {
    tenantId: 'bad-berleburg',
    ref: 'BBG-BHF',
    name: 'Mobilstation Bahnhof Bad Berleburg',
    street: 'Bahnhofstraße',
    postalCode: '57319',
    city: 'Bad Berleburg',
    lat: 51.0531,
    lon: 8.3934,
    openingHours: '24/7',
    spaces: { STANDARD: 8, E_BIKE_CHARGING: 4 },
  },
  {
    tenantId: 'menden',
    ref: 'MEN-BHF',
    name: 'Fahrradstation Bahnhof Menden',
    street: 'Bahnhofstraße',
    postalCode: '58706',
    city: 'Menden (Sauerland)',
    lat: 51.4407,
    lon: 7.7941,
    openingHours: 'Mo-Su 05:00-24:00',
    spaces: { STANDARD: 20, E_BIKE_CHARGING: 8, CARGO: 2 },
  },
  {
    tenantId: 'olpe',
    ref: 'OLP-BHF',
    name: 'Radboxen Bahnhof Olpe',
    street: 'Frankfurter Straße',
    postalCode: '57462',
    city: 'Olpe',
    lat: 51.0285,
    lon: 7.8468,
    openingHours: '24/7',
    spaces: { STANDARD: 10, E_BIKE_CHARGING: 4 },
  },
  {
    tenantId: 'olpe',
    ref: 'OLP-ZOB',
    name: 'Fahrradgarage ZOB Olpe',
    street: 'Am Bahnhof',
    postalCode: '57462',
    city: 'Olpe',
    lat: 51.0293,
    lon: 7.8482,
    openingHours: '24/7',
    spaces: { STANDARD: 8, CARGO: 2 },
  },
  {
    tenantId: 'soest',
    ref: 'SOE-BHF',
    name: 'Fahrradparkhaus Bahnhof Soest',
    street: 'Bahnhofstraße',
    postalCode: '59494',
    city: 'Soest',
    lat: 51.5782,
    lon: 8.1085,
    openingHours: '24/7',
    spaces: { STANDARD: 36, E_BIKE_CHARGING: 16, CARGO: 6, LARGE: 2 },
  },
  {
    tenantId: 'soest',
    ref: 'SOE-BRD',
    name: 'Radboxen Brüdertor',
    street: 'Brüderstraße',
    postalCode: '59494',
    city: 'Soest',
    lat: 51.5741,
    lon: 8.1033,
    openingHours: '24/7',
    spaces: { STANDARD: 8, E_BIKE_CHARGING: 4 },
  },
];

export const demoTowns = ['arnsberg', 'bad-berleburg', 'menden', 'olpe', 'soest'] as const;

/** Demo only: printed by `npm start`, never used outside the embedded default. */
export const DEMO_PASSWORD = 'Demo-Passwort-2026';
export const demoCommuterEmail = 'pendler@example.org';
