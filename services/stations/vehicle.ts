/** GBFS v3 form factors and propulsion types, as the feed publishes them. */
export const FORM_FACTORS = [
  'bicycle',
  'cargo_bicycle',
  'car',
  'moped',
  'scooter_standing',
  'scooter_seated',
  'other',
] as const;
export type FormFactor = (typeof FORM_FACTORS)[number];

export const PROPULSIONS = [
  'human',
  'electric_assist',
  'electric',
  'combustion',
  'combustion_diesel',
  'hybrid',
  'plug_in_hybrid',
  'hydrogen_fuel_cell',
] as const;
export type Propulsion = (typeof PROPULSIONS)[number];

export const VEHICLE_STATUSES = ['available', 'in_use', 'maintenance', 'retired'] as const;
export type VehicleStatus = (typeof VEHICLE_STATUSES)[number];

export interface VehicleType {
  id: string;
  tenantId: string;
  /** Stable id in the GBFS feed (vehicle_type_id), e.g. "cargo-e". */
  code: string;
  name: string;
  formFactor: FormFactor;
  propulsion: Propulsion;
  maxRangeMeters: number | null;
  riderCapacity: number | null;
  cargoLoadKg: number | null;
  cargoVolumeLiters: number | null;
}

export interface VehicleTypeInput {
  code: string;
  name: string;
  formFactor: FormFactor;
  propulsion: Propulsion;
  maxRangeMeters?: number | null;
  riderCapacity?: number | null;
  cargoLoadKg?: number | null;
  cargoVolumeLiters?: number | null;
}

/** A shared e-bike or cargo bike with its telematics device (lock, battery, position). */
export interface Vehicle {
  id: string;
  tenantId: string;
  vehicleTypeId: string;
  label: string;
  deviceId: string;
  homeStationId: string;
  /** Where it is parked now; null while out on a trip. */
  stationId: string | null;
  status: VehicleStatus;
  /** Rotated after every trip; the only vehicle id the public GBFS vehicle_status shows. */
  publicId: string;
  updatedAt: Date;
}

export interface VehicleInput {
  vehicleTypeId: string;
  label: string;
  deviceId: string;
  homeStationId: string;
}

/** What anybody may know of a vehicle's device: battery and when it last reported. */
export interface VehiclePublicState {
  vehicleId: string;
  batteryPercent: number | null;
  lastSeenAt: Date | null;
  online: boolean | null;
}

/** A live reservation of a vehicle, without who holds it. */
export interface BusyPeriod {
  vehicleId: string;
  stationId: string;
  from: Date;
  to: Date;
}
