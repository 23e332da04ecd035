import type { Site } from '../garages/site.ts';

/**
 * What a station offers beside shared vehicles. BIKE_BOX: bookable spaces at the station itself
 * or in its linked bike garage; CHARGING: charging points; BUS_STOP and BENCH: references to the
 * bus stop and the ride-share bench at the station.
 */
export const STATION_MODES = ['SHARED_VEHICLE', 'BIKE_BOX', 'CHARGING', 'BUS_STOP', 'BENCH'] as const;
export type StationMode = (typeof STATION_MODES)[number];

/** A mobility station (Mobilstation): a site of kind mobility_station and the modes it groups. */
export interface MobilityStation extends Site {
  /** Places for shared vehicles; a return to a station with every place taken is refused. */
  vehicleCapacity: number;
  acceptsReturns: boolean;
  isRenting: boolean;
  chargingPoints: number;
  /** Stop id (DHID, e.g. de:05958:31234) and name of the bus stop at the station. */
  busStopRef: string | null;
  busStopName: string | null;
  bikeGarageSiteId: string | null;
  benchSiteId: string | null;
  updatedAt: Date;
}

export interface StationFields {
  vehicleCapacity: number;
  acceptsReturns: boolean;
  isRenting: boolean;
  chargingPoints: number;
  busStopRef: string | null;
  busStopName: string | null;
  bikeGarageSiteId: string | null;
  benchSiteId: string | null;
}

export interface StationInput extends Partial<StationFields> {
  name: string;
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  lat: number;
  lon: number;
  openingHours?: string | null;
  externalRef?: string | null;
  vehicleCapacity: number;
}

export type StationPatch = Partial<StationInput>;
