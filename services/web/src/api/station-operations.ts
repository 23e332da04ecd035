import type { ErrorResult } from './client.ts';

/**
 * The GraphQL operations of mobility stations, shared vehicles, reservations and trips, with
 * the shapes the app reads back (by hand against schema/schema.graphql; operations.test.ts
 * checks each against the schema and the API's cost limit).
 */

export const FORM_FACTORS = [
  'BICYCLE',
  'CARGO_BICYCLE',
  'SCOOTER_STANDING',
  'SCOOTER_SEATED',
  'MOPED',
  'CAR',
  'OTHER',
] as const;
export type FormFactor = (typeof FORM_FACTORS)[number];
export type VehicleStatus = 'AVAILABLE' | 'IN_USE' | 'MAINTENANCE' | 'RETIRED';
export type ReservationStatus = 'CONFIRMED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED' | 'NO_SHOW';
export type TripStatus = 'STARTING' | 'ACTIVE' | 'COMPLETED' | 'FAILED';
export type TripPriceStatus = 'OPEN' | 'QUOTED' | 'UNPRICED';

export interface StationSummary {
  id: string;
  name: string;
  position: { lat: number; lon: number };
  tenant: { id: string; name: string };
  vehicleCapacity: number;
  vehiclesParked: number;
  freePlaces: number;
  chargingPoints: number;
  acceptsReturns: boolean;
  isRenting: boolean;
  busStop: { name: string | null; ref: string | null } | null;
  bikeGarage: { id: string; name: string } | null;
  bench: { id: string; name: string } | null;
}

const STATION = `id name position { lat lon } tenant { id name } vehicleCapacity vehiclesParked freePlaces
  chargingPoints acceptsReturns isRenting busStop { name ref } bikeGarage { id name } bench { id name }`;

export interface StationEdge {
  distanceKm?: number;
  node: StationSummary;
}

/**
 * Page sizes are literals, not variables: the API prices a query with its variables, and
 * operations.test.ts can only check the cost of what the document itself says.
 */
export const MOBILITY_STATIONS = `query MobilityStations($tenant: String, $near: GeoPointInput, $radiusKm: Float) {
  mobilityStations(tenant: $tenant, near: $near, radiusKm: $radiusKm, first: 30) {
    edges { node { ${STATION} } }
  }
}`;

export interface VehicleSummary {
  id: string;
  label: string;
  status: VehicleStatus;
  batteryPercent: number | null;
  currentRangeMeters: number | null;
  type: { id: string; name: string; formFactor: FormFactor; cargoLoadKg: number | null };
}

const VEHICLE = `id label status batteryPercent currentRangeMeters type { id name formFactor cargoLoadKg }`;

export interface StationDetail extends StationSummary {
  openingHours: string | null;
  oneWayReturns: boolean;
  site: { address: { street: string | null; postalCode: string | null; city: string | null } };
  availability: { freeVehicleCount: number; freeVehicles: VehicleSummary[]; freeSpaceCount: number };
}

export const STATION_DETAIL = `query StationDetail($id: ID!, $from: DateTime!, $to: DateTime!, $formFactor: FormFactor) {
  mobilityStation(id: $id) {
    ${STATION} openingHours oneWayReturns site { address { street postalCode city } }
    availability(from: $from, to: $to, formFactor: $formFactor) {
      freeVehicleCount freeSpaceCount freeVehicles { ${VEHICLE} }
    }
  }
}`;

export const STATION_CHANGED = `subscription StationChanged($stationId: ID!) {
  stationChanged(stationId: $stationId) { stationId at }
}`;

export interface VehicleReservation {
  id: string;
  status: ReservationStatus;
  from: string;
  to: string;
  createdAt: string;
  station: { id: string; name: string; tenant: { id: string; name: string } };
  vehicle: VehicleSummary;
  trip: TripRecord | null;
}

export interface TripPriceLine {
  unit: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
}

/** The expected price of a ride for a period (tripQuote); null where the town has no tariff. */
export interface TripQuote {
  amountCents: number;
  vatCents: number;
  vatRateBasisPoints: number;
  currency: string;
  tariffName: string;
  lines: TripPriceLine[];
}

export type TripQuoteResult = ({ __typename: 'TripQuote' } & TripQuote) | ErrorResult | null;

export const TRIP_QUOTE = `query TripQuote($vehicleId: ID!, $from: DateTime!, $to: DateTime!) {
  tripQuote(vehicleId: $vehicleId, from: $from, to: $to) {
    __typename
    ... on TripQuote { amountCents vatCents vatRateBasisPoints currency tariffName
      lines { unit quantity unitPriceCents amountCents } }
    ... on ValidationError { field }
    ... on Error { message }
  }
}`;

export interface TripRecord {
  id: string;
  status: TripStatus;
  requestedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  distanceMeters: number | null;
  positionConfirmed: boolean | null;
  priceStatus: TripPriceStatus;
  priceCents: number | null;
  priceCurrency: string | null;
  priceVatCents: number | null;
  priceVatRateBasisPoints: number | null;
  priceLines: TripPriceLine[];
  payment: 'NONE' | 'PAY_ON_SITE_OR_INVOICE';
  startStation: { id: string; name: string };
  endStation: { id: string; name: string } | null;
  unlockCommand: { status: string; deviceState: string | null } | null;
}

const TRIP = `id status requestedAt startedAt endedAt durationSeconds distanceMeters positionConfirmed
  priceStatus priceCents priceCurrency priceVatCents priceVatRateBasisPoints payment
  priceLines { unit quantity unitPriceCents amountCents } startStation { id name } endStation { id name }
  unlockCommand { status deviceState }`;

const RESERVATION = `id status from to createdAt station { id name tenant { id name } } vehicle { ${VEHICLE} }
  trip { ${TRIP} }`;

export type ReserveResult = ({ __typename: 'VehicleReservation' } & VehicleReservation) | ErrorResult;

export const RESERVE_VEHICLE = `mutation ReserveVehicle($input: ReserveVehicleInput!) {
  reserveVehicle(input: $input) {
    __typename
    ... on VehicleReservation { ${RESERVATION} }
    ... on ValidationError { field }
    ... on Error { message }
  }
}`;

export const VEHICLE_RESERVATION = `query VehicleReservation($id: ID!) {
  vehicleReservation(id: $id) { ${RESERVATION} }
}`;

export const MY_VEHICLE_RESERVATIONS = `query MyVehicleReservations {
  myVehicleReservations(first: 10) { edges { node { ${RESERVATION} } } }
  currentTrip { id status vehicle { label } }
}`;

export const MY_TRIPS = `query MyTrips {
  myTrips(first: 20) { edges { node { ${TRIP} vehicle { label } } } }
}`;

export const CANCEL_VEHICLE_RESERVATION = `mutation CancelVehicleReservation($id: ID!) {
  cancelVehicleReservation(id: $id) {
    __typename
    ... on VehicleReservation { id status }
    ... on Error { message }
  }
}`;

export type StartTripResult =
  | ({ __typename: 'Trip' } & TripRecord)
  | (ErrorResult & { commandId?: string | null; deviceState?: string | null });

export const START_TRIP = `mutation StartTrip($reservationId: ID!) {
  startTrip(reservationId: $reservationId) {
    __typename
    ... on Trip { ${TRIP} }
    ... on DeviceUnreachableError { commandId }
    ... on UnlockFailedError { commandId deviceState }
    ... on Error { message }
  }
}`;

export type ReturnRefusal =
  | 'NOT_ACCEPTING_RETURNS'
  | 'ONE_WAY_NOT_ALLOWED'
  | 'OTHER_TOWN'
  | 'RESERVED_ELSEWHERE';

export type EndTripResult =
  | ({ __typename: 'Trip' } & TripRecord)
  | (ErrorResult & { reason?: ReturnRefusal; metersFromStation?: number; stationId?: string });

export const END_TRIP = `mutation EndTrip($tripId: ID!, $stationId: ID!) {
  endTrip(tripId: $tripId, stationId: $stationId) {
    __typename
    ... on Trip { ${TRIP} }
    ... on StationFullError { stationId }
    ... on ReturnNotAllowedError { reason }
    ... on VehicleNotAtStationError { metersFromStation }
    ... on Error { message }
  }
}`;

export interface OperatorVehicle {
  id: string;
  label: string;
  status: VehicleStatus;
  batteryPercent: number | null;
  deviceId: string | null;
  type: { id: string; name: string; formFactor: FormFactor };
  station: { id: string; name: string } | null;
  homeStation: { id: string };
  /** Staff only: what the telematics device last reported. */
  telematics: {
    lockState: string | null;
    doorOpen: boolean | null;
    online: boolean | null;
    lastSeenAt: string | null;
    lat: number | null;
    lon: number | null;
  } | null;
}

export interface OperatorStation {
  id: string;
  name: string;
  vehicleCapacity: number;
  vehiclesParked: number;
  freePlaces: number;
  acceptsReturns: boolean;
  isRenting: boolean;
  oneWayReturns: boolean;
  chargingPoints: number;
  externalRef: string | null;
  position: { lat: number; lon: number };
  busStop: { ref: string | null; name: string | null } | null;
}

export interface OperatorVehicleType {
  id: string;
  name: string;
  formFactor: FormFactor;
}

const OPERATOR_STATION = `id name vehicleCapacity vehiclesParked freePlaces acceptsReturns isRenting oneWayReturns
  chargingPoints externalRef position { lat lon } busStop { ref name }`;
const OPERATOR_VEHICLE = `id label status batteryPercent deviceId type { id name formFactor } station { id name }
  homeStation { id } telematics { lockState doorOpen online lastSeenAt lat lon }`;

/** Lean shapes: a town's whole fleet in one request stays inside the API's cost limit. */
export const OPERATOR_FLEET = `query OperatorFleet($tenant: String) {
  mobilityStations(tenant: $tenant, first: 30) { edges { node { ${OPERATOR_STATION} } } }
  tenantVehicles { ${OPERATOR_VEHICLE} }
  vehicleTypes(tenant: $tenant) { id name formFactor }
}`;

const answer = (type: string, fields: string) => `__typename
    ... on ${type} { ${fields} }
    ... on ValidationError { field }
    ... on Error { message }`;

export const CREATE_STATION = `mutation CreateMobilityStation($input: MobilityStationInput!) {
  createMobilityStation(input: $input) { ${answer('MobilityStation', OPERATOR_STATION)} }
}`;
export const UPDATE_STATION = `mutation UpdateMobilityStation($id: ID!, $input: MobilityStationPatchInput!) {
  updateMobilityStation(id: $id, input: $input) { ${answer('MobilityStation', OPERATOR_STATION)} }
}`;
export const SET_ONE_WAY_RETURNS = `mutation SetOneWayReturns($allowed: Boolean!) {
  setOneWayReturns(allowed: $allowed) { ${answer('Tenant', 'id')} }
}`;
export const CREATE_VEHICLE = `mutation CreateSharedVehicle($input: SharedVehicleInput!) {
  createSharedVehicle(input: $input) { ${answer('SharedVehicle', OPERATOR_VEHICLE)} }
}`;
export const UPDATE_VEHICLE = `mutation UpdateSharedVehicle($id: ID!, $status: OperatorVehicleStatus, $stationId: ID,
  $vehicleTypeId: ID, $label: String, $deviceId: String) {
  updateSharedVehicle(id: $id, status: $status, stationId: $stationId, vehicleTypeId: $vehicleTypeId,
    label: $label, deviceId: $deviceId) { ${answer('SharedVehicle', OPERATOR_VEHICLE)} }
}`;

export interface VehicleTariff {
  id: string;
  name: string;
  formFactor: FormFactor;
  hourCents: number | null;
  dayCents: number | null;
  vatRateBasisPoints: number;
}

const VEHICLE_TARIFF = 'id name formFactor hourCents dayCents vatRateBasisPoints';

export const VEHICLE_TARIFFS = `query VehicleTariffs($tenant: String!) { vehicleTariffs(tenant: $tenant) { ${VEHICLE_TARIFF} } }`;

export const SET_VEHICLE_TARIFF = `mutation SetVehicleTariff($input: VehicleTariffInput!) {
  setVehicleTariff(input: $input) { ${answer('VehicleTariff', VEHICLE_TARIFF)} }
}`;
