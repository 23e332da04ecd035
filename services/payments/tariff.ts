import type { SpaceType } from '../garages/space.ts';
import type { FormFactor } from '../stations/vehicle.ts';

/** Units a period can be charged in; every unit is a fixed length (see UNIT_HOURS). */
export const TARIFF_UNITS = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type TariffUnit = (typeof TARIFF_UNITS)[number];

/**
 * Fixed lengths, not calendar units: a "day" is 24 hours even across a DST change and a
 * "month" is 30 days, so the same period always costs the same and a commuter can check it.
 */
export const UNIT_HOURS: Record<TariffUnit, number> = { HOUR: 1, DAY: 24, WEEK: 7 * 24, MONTH: 30 * 24 };

/** Highest price of one unit and highest deposit (1,000 €), as in the database checks. */
export const MAX_UNIT_PRICE_CENTS = 100_000;
/** Stripe's largest amount for EUR (999,999.99 €); quotes above it are refused. */
export const MAX_CHARGE_CENTS = 99_999_999;
/** 100 % in basis points. */
export const MAX_VAT_RATE_BP = 10_000;

export type UnitPrices = Record<TariffUnit, number | null>;

/** A town's tariff for one space type. A null unit price: not offered; 0: free. Prices are gross. */
export interface Tariff {
  id: string;
  tenantId: string;
  spaceType: SpaceType;
  name: string;
  prices: UnitPrices;
  subscriptionMonthCents: number | null;
  depositCents: number;
  vatRateBp: number;
  retiredAt: Date | null;
  createdAt: Date;
}

/** A town's trip tariff for one form factor of shared vehicles (per started hour, day cap). */
export interface VehicleTariff extends Omit<Tariff, 'spaceType'> {
  formFactor: FormFactor;
}

export interface VehicleTariffInput {
  formFactor: FormFactor;
  name: string;
  hourCents?: number | null;
  dayCents?: number | null;
  vatRateBp: number;
}

export interface TariffInput {
  spaceType: SpaceType;
  name: string;
  hourCents?: number | null;
  dayCents?: number | null;
  weekCents?: number | null;
  monthCents?: number | null;
  subscriptionMonthCents?: number | null;
  depositCents?: number | null;
  vatRateBp: number;
}

export type TariffPatch = Partial<Omit<TariffInput, 'spaceType'>>;
