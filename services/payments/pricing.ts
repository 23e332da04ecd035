import { ValidationError } from '../core/errors.ts';
import {
  MAX_CHARGE_CENTS,
  TARIFF_UNITS,
  type Tariff,
  type TariffUnit,
  UNIT_HOURS,
  type UnitPrices,
} from './tariff.ts';

export interface PriceLine {
  /** SUBSCRIPTION_MONTH: one period of a monthly subscription. */
  unit: TariffUnit | 'SUBSCRIPTION_MONTH';
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
}

/** A price the server computed; the browser only ever shows it. */
export interface Price {
  /** Gross amount for the use of the space (VAT included). */
  amountCents: number;
  vatCents: number;
  netCents: number;
  vatRateBp: number;
  /** Security returned after the booking; not a payment for a service, so no VAT on it. */
  depositCents: number;
  /** What is charged: amount plus deposit. */
  totalCents: number;
  lines: PriceLine[];
}

const HOUR_MS = 3_600_000;

/** The VAT contained in a gross amount, rounded to the nearest cent (half up). */
export function vatIncluded(grossCents: number, vatRateBp: number): number {
  return Math.round((grossCents * vatRateBp) / (10_000 + vatRateBp));
}

/** Started hours count as whole hours: 61 minutes are 2 hours. */
export function chargeableHours(from: Date, to: Date): number {
  return Math.ceil((to.getTime() - from.getTime()) / HOUR_MS);
}

/**
 * The cheapest combination of offered units whose total length covers `hours`.
 *
 * The rule: the period is rounded up to whole hours; every multiset of offered units (hour,
 * day = 24 h, week = 7 days, month = 30 days) that is at least that long is a candidate; the
 * cheapest one is charged. Among equally cheap candidates the one built from larger units
 * wins (24 hours at 1 € and a day at 24 € give one day). So 26 hours are a day and 2 hours,
 * unless two days cost less than that, and 6 days are a week if the week is cheaper.
 *
 * Dynamic programming over hours (covering knapsack): cost[h] is the cheapest cover of h
 * hours; the last unit taken covers the rest. Bookings last at most 400 days (9,600 hours),
 * so this is at most 38,400 steps. Returns null when no unit is offered.
 */
export function cheapestCover(hours: number, prices: UnitPrices): PriceLine[] | null {
  const offered = [...TARIFF_UNITS].reverse().filter((u) => prices[u] !== null);
  if (offered.length === 0) return null;
  const cost = new Float64Array(hours + 1);
  const choice: TariffUnit[] = new Array(hours + 1);
  for (let h = 1; h <= hours; h++) {
    let best = Number.POSITIVE_INFINITY;
    for (const unit of offered) {
      const c = (prices[unit] as number) + cost[Math.max(0, h - UNIT_HOURS[unit])]!;
      if (c < best) {
        best = c;
        choice[h] = unit;
      }
    }
    cost[h] = best;
  }
  const counts = new Map<TariffUnit, number>();
  for (let h = hours; h > 0; h = Math.max(0, h - UNIT_HOURS[choice[h]!])) {
    counts.set(choice[h]!, (counts.get(choice[h]!) ?? 0) + 1);
  }
  return offered
    .filter((u) => counts.has(u))
    .map((unit) => {
      const quantity = counts.get(unit)!;
      const unitPriceCents = prices[unit] as number;
      return { unit, quantity, unitPriceCents, amountCents: quantity * unitPriceCents };
    });
}

/** Splits a gross amount into VAT and net and adds the deposit. */
export function priceFromLines(lines: PriceLine[], vatRateBp: number, depositCents: number): Price {
  const amountCents = lines.reduce((sum, l) => sum + l.amountCents, 0);
  const vatCents = vatIncluded(amountCents, vatRateBp);
  return {
    amountCents,
    vatCents,
    netCents: amountCents - vatCents,
    vatRateBp,
    depositCents,
    totalCents: amountCents + depositCents,
    lines,
  };
}

/** The price of [from, to) under a tariff; no tariff means the space type is free to book. */
export function priceForPeriod(tariff: Tariff | null, from: Date, to: Date): Price {
  if (!tariff) return priceFromLines([], 0, 0);
  const lines = cheapestCover(chargeableHours(from, to), tariff.prices);
  if (!lines) {
    throw new ValidationError(
      'This space is let by subscription only / Dieser Platz wird nur im Abo vermietet',
      'to',
    );
  }
  const price = priceFromLines(lines, tariff.vatRateBp, tariff.depositCents);
  if (price.totalCents > MAX_CHARGE_CENTS) {
    throw new ValidationError('The period is too long to be paid at once; book a shorter one', 'to');
  }
  return price;
}
