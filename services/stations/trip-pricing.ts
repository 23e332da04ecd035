import type { Tx } from '../core/db/database.ts';

/**
 * The seam to the tariffs of services/payments (payments/trip-tariffs.ts implements it). The
 * trip service asks `quoteTrip` inside the transaction that ends a trip and stores what it
 * answers; the station pages ask it for the expected price before a reservation; the GBFS
 * feed publishes `plans`. `unpricedTrips` is for a deployment without payments.
 */
export interface TripPriceInput {
  tenantId: string;
  vehicleTypeId: string;
  startedAt: Date;
  endedAt: Date;
  distanceMeters: number;
}

export interface TripPriceLine {
  unit: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
}

/** A gross price in cents with the VAT it contains and the tariff lines it is made of. */
export interface TripPrice {
  amountCents: number;
  currency: string;
  vatCents: number;
  vatRateBp: number;
  tariffId: string;
  tariffName: string;
  lines: TripPriceLine[];
}

/** A pricing plan as GBFS system_pricing_plans describes it (prices in the currency's units). */
export interface PricingPlan {
  planId: string;
  vehicleTypeIds: string[];
  name: { de: string; en: string };
  description: { de: string; en: string };
  currency: string;
  price: number;
  isTaxable: boolean;
  perMinute?: { start: number; rate: number; interval: number }[];
}

export interface TripPricing {
  /** null: no tariff for this vehicle; the trip is stored as unpriced. */
  quoteTrip(tx: Tx, input: TripPriceInput): Promise<TripPrice | null>;
  plans(tenantId: string): Promise<PricingPlan[]>;
}

export const unpricedTrips: TripPricing = {
  quoteTrip: async () => null,
  plans: async () => [],
};
