export const TRIP_STATUSES = ['starting', 'active', 'completed', 'failed'] as const;
export type TripStatus = (typeof TRIP_STATUSES)[number];

import type { TripPrice, TripPriceLine } from './trip-pricing.ts';

export type DistanceSource = 'track' | 'stations';
export type PriceStatus = 'open' | 'quoted' | 'unpriced';

/**
 * A ride on a shared vehicle. `starting` while the unlock command awaits the lock's answer,
 * then `active` (the vehicle is out), `completed` at a station, or `failed` when the lock never
 * opened (the reservation stays and the rider may try again).
 */
export interface Trip {
  id: string;
  tenantId: string;
  reservationId: string;
  vehicleId: string;
  accountId: string;
  status: TripStatus;
  startStationId: string;
  endStationId: string | null;
  requestedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  distanceMeters: number | null;
  /** track: summed from the vehicle's position fixes; stations: straight line between the stations. */
  distanceSource: DistanceSource | null;
  /** True when a position fix of the vehicle confirmed it stood at the return station. */
  positionConfirmed: boolean | null;
  priceStatus: PriceStatus;
  /** Gross price (VAT included), computed by the server when the trip ended. */
  priceCents: number | null;
  priceCurrency: string | null;
  priceVatCents: number | null;
  priceVatRateBp: number | null;
  /** The tariff the trip was priced with, and its lines (hours, days). */
  tariffId: string | null;
  priceLines: TripPriceLine[];
}

export interface TripCompletion {
  endStationId: string;
  endedAt: Date;
  durationSeconds: number;
  distanceMeters: number;
  distanceSource: DistanceSource;
  positionConfirmed: boolean;
  /** null: no tariff applies and the trip is stored as unpriced. */
  price: TripPrice | null;
}
