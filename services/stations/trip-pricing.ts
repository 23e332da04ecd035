/**
 * The seam to the tariffs of services/payments. Its tariffs are per town and space type
 * (bike boxes) and have no vehicle dimension yet, so trips are recorded unpriced
 * (price_status 'unpriced') until an implementation of this interface is wired in
 * services/api/services.ts. Nothing else has to change: the trip service asks `quoteTrip` when
 * a trip ends and stores what it answers; the GBFS feed publishes `plans`.
 */
export interface TripPriceInput {
  tenantId: string;
  vehicleTypeId: string;
  startedAt: Date;
  endedAt: Date;
  distanceMeters: number;
}

export interface TripPrice {
  amountCents: number;
  currency: string;
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
  quoteTrip(input: TripPriceInput): Promise<TripPrice | null>;
  plans(tenantId: string): Promise<PricingPlan[]>;
}

export const unpricedTrips: TripPricing = {
  quoteTrip: async () => null,
  plans: async () => [],
};
