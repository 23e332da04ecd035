import type { Db, Tx } from '../core/db/database.ts';
import { anonymousActor, withActor } from '../core/tenancy.ts';
import type { PricingPlan, TripPrice, TripPriceInput, TripPricing } from '../stations/trip-pricing.ts';
import { vehicleRepository } from '../stations/vehicle.repository.ts';
import { chargeableHours, cheapestCover, priceFromLines } from './pricing.ts';
import { tariffRepository } from './tariff.repository.ts';
import { MAX_CHARGE_CENTS, type VehicleTariff } from './tariff.ts';

const CURRENCY = 'EUR';

/**
 * Trip prices from the town's tariff for the vehicle's form factor, with the same engine as
 * bike boxes: started hours, and the cheapest cover of offered units, which makes the day
 * price a day cap. A trip of under a minute still starts an hour: the lock was opened.
 */
export function priceTrip(tariff: VehicleTariff, startedAt: Date, endedAt: Date): TripPrice | null {
  const hours = Math.max(1, chargeableHours(startedAt, endedAt));
  const lines = cheapestCover(hours, tariff.prices);
  if (!lines) return null;
  const price = priceFromLines(lines, tariff.vatRateBp, 0);
  return {
    amountCents: Math.min(price.amountCents, MAX_CHARGE_CENTS),
    currency: CURRENCY,
    vatCents: price.vatCents,
    vatRateBp: price.vatRateBp,
    tariffId: tariff.id,
    tariffName: tariff.name,
    lines: price.lines.map((l) => ({ ...l, unit: l.unit === 'SUBSCRIPTION_MONTH' ? 'MONTH' : l.unit })),
  };
}

const euros = (cents: number) => cents / 100;
const money = {
  de: (cents: number) => `${euros(cents).toFixed(2).replace('.', ',')} €`,
  en: (cents: number) => `€${euros(cents).toFixed(2)}`,
};
const words = {
  de: { perHour: 'je angefangene Stunde', perDay: 'je angefangenen Tag', cap: 'höchstens {} je 24 Stunden' },
  en: { perHour: 'per started hour', perDay: 'per started day', cap: 'at most {} per 24 hours' },
};

function describe(tariff: VehicleTariff, lang: 'de' | 'en'): string {
  const { HOUR: hour, DAY: day } = tariff.prices;
  const w = words[lang];
  const parts: string[] = [];
  if (hour !== null) parts.push(`${money[lang](hour)} ${w.perHour}`);
  if (day !== null)
    parts.push(hour !== null ? w.cap.replace('{}', money[lang](day)) : `${money[lang](day)} ${w.perDay}`);
  return parts.join(', ');
}

/**
 * A trip tariff as a GBFS plan. GBFS has no day cap, so the plan charges the hourly rate per
 * started hour (or the day rate per started day) and the description states the cap.
 * Prices are gross: is_taxable false means no tax is added on top.
 */
export function pricingPlan(tariff: VehicleTariff, vehicleTypeIds: string[]): PricingPlan {
  const { HOUR: hour, DAY: day } = tariff.prices;
  return {
    planId: tariff.id,
    vehicleTypeIds,
    name: { de: tariff.name, en: tariff.name },
    description: { de: describe(tariff, 'de'), en: describe(tariff, 'en') },
    currency: CURRENCY,
    price: 0,
    isTaxable: false,
    perMinute:
      hour !== null
        ? [{ start: 0, rate: euros(hour), interval: 60 }]
        : [{ start: 0, rate: euros(day ?? 0), interval: 24 * 60 }],
  };
}

/** The TripPricing seam of services/stations, answered from the payments tariffs. */
export function tariffTripPricing(db: Db): TripPricing {
  return {
    async quoteTrip(tx: Tx, input: TripPriceInput) {
      const [type] = await vehicleRepository.typesByIds(tx, [input.vehicleTypeId]);
      if (!type) return null;
      const tariff = await tariffRepository.findActiveForVehicles(tx, input.tenantId, type.formFactor);
      return tariff ? priceTrip(tariff, input.startedAt, input.endedAt) : null;
    },
    // The public reader of the town, as the rest of the GBFS snapshot is read.
    plans: (tenantId) =>
      withActor(db, { ...anonymousActor, tenantId }, async (tx) => {
        const tariffs = await tariffRepository.listActiveForVehicles(tx, tenantId);
        const types = await vehicleRepository.listTypes(tx, tenantId);
        return tariffs
          .map((t) =>
            pricingPlan(
              t,
              types.filter((ty) => ty.formFactor === t.formFactor).map((ty) => ty.code),
            ),
          )
          .filter((p) => p.vehicleTypeIds.length > 0);
      }),
  };
}
