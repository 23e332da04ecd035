import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { chargeableHours, cheapestCover, priceForPeriod, vatIncluded } from './pricing.ts';
import { MAX_CHARGE_CENTS, type Tariff, type TariffUnit, UNIT_HOURS, type UnitPrices } from './tariff.ts';

const prices = (p: Partial<UnitPrices>): UnitPrices => ({
  HOUR: null,
  DAY: null,
  WEEK: null,
  MONTH: null,
  ...p,
});
const at = (hours: number) => new Date(Date.UTC(2026, 11, 1, 0, 0) + hours * 3_600_000);
const summary = (lines: ReturnType<typeof cheapestCover>) =>
  lines?.map((l) => `${l.quantity}×${l.unit}`).join(' + ');

// 1 €/h, 8 €/day, 40 €/week, 120 €/month: a typical town tariff.
const town = prices({ HOUR: 100, DAY: 800, WEEK: 4000, MONTH: 12000 });

describe('cheapestCover: the cheapest combination of units that covers the period', () => {
  it('charges hours until a day is cheaper: 7 hours = 7 h, 8 hours = 1 day (tie → larger unit), 9 hours = 1 day', () => {
    expect(summary(cheapestCover(7, town))).toBe('7×HOUR');
    expect(summary(cheapestCover(8, town))).toBe('1×DAY');
    expect(summary(cheapestCover(9, town))).toBe('1×DAY');
  });

  it('26 hours = 1 day + 2 hours, or 2 days when that is cheaper', () => {
    expect(summary(cheapestCover(26, town))).toBe('1×DAY + 2×HOUR');
    const pricyHours = prices({ HOUR: 500, DAY: 800 });
    expect(summary(cheapestCover(26, pricyHours))).toBe('2×DAY');
    // The boundary: 2 hours at 4 € equal a day at 8 €; the larger unit wins the tie.
    expect(summary(cheapestCover(26, prices({ HOUR: 400, DAY: 800 })))).toBe('2×DAY');
    expect(summary(cheapestCover(26, prices({ HOUR: 399, DAY: 800 })))).toBe('1×DAY + 2×HOUR');
  });

  it('exactly 24, 168 and 720 hours are one day, one week and one month', () => {
    expect(summary(cheapestCover(24, town))).toBe('1×DAY');
    expect(summary(cheapestCover(168, town))).toBe('1×WEEK');
    expect(summary(cheapestCover(720, town))).toBe('1×MONTH');
  });

  it('5 days are a week when the week is cheaper than 5 days (40 € = 5 × 8 €, tie → week)', () => {
    expect(summary(cheapestCover(4 * 24, town))).toBe('4×DAY');
    expect(summary(cheapestCover(5 * 24, town))).toBe('1×WEEK');
    expect(summary(cheapestCover(5 * 24 + 1, town))).toBe('1×WEEK');
  });

  it('mixes units across the month boundary: 31 days = 1 month + 1 day', () => {
    expect(summary(cheapestCover(31 * 24, town))).toBe('1×MONTH + 1×DAY');
    // 3 weeks + 9 days would cost 136 €; a month (120 €) covers 30 days, cheaper than 4 weeks (160 €).
    expect(summary(cheapestCover(30 * 24 - 1, town))).toBe('1×MONTH');
  });

  it('uses only offered units: without hours, 2 hours cost a day', () => {
    expect(summary(cheapestCover(2, prices({ DAY: 300, WEEK: 1500 })))).toBe('1×DAY');
    expect(cheapestCover(2, prices({}))).toBeNull();
  });

  it('is the true minimum: equal to brute force over every combination for 1..400 hours', () => {
    const p = prices({ HOUR: 150, DAY: 1100, WEEK: 5000, MONTH: 17000 });
    const brute = (h: number) => {
      let best = Number.POSITIVE_INFINITY;
      for (let m = 0; m <= Math.ceil(h / 720); m++)
        for (let w = 0; w <= Math.ceil(h / 168); w++)
          for (let d = 0; d <= Math.ceil(h / 24); d++) {
            const rest = Math.max(0, h - m * 720 - w * 168 - d * 24);
            best = Math.min(best, m * 17000 + w * 5000 + d * 1100 + rest * 150);
          }
      return best;
    };
    for (let h = 1; h <= 400; h++) {
      const lines = cheapestCover(h, p)!;
      const covered = lines.reduce((s, l) => s + l.quantity * UNIT_HOURS[l.unit as TariffUnit], 0);
      expect(covered).toBeGreaterThanOrEqual(h);
      expect(lines.reduce((s, l) => s + l.amountCents, 0)).toBe(brute(h));
    }
  });
});

describe('chargeableHours: started hours count', () => {
  it('60 minutes are 1 hour, 61 minutes 2 hours', () => {
    expect(chargeableHours(at(0), at(1))).toBe(1);
    expect(chargeableHours(at(0), new Date(at(1).getTime() + 60_000))).toBe(2);
  });
});

describe('VAT from gross prices', () => {
  it('19 % of 1.19 € is 0.19 €; rounds half up to the cent; 0 % has no VAT', () => {
    expect(vatIncluded(119, 1900)).toBe(19);
    expect(vatIncluded(100, 1900)).toBe(16); // 15.97 → 16
    expect(vatIncluded(800, 700)).toBe(52); // 52.34 → 52
    expect(vatIncluded(5000, 0)).toBe(0);
  });
});

describe('priceForPeriod', () => {
  const tariff: Tariff = {
    id: 't',
    tenantId: 'soest',
    spaceType: 'STANDARD',
    name: 'Standard',
    prices: town,
    subscriptionMonthCents: 9900,
    depositCents: 2000,
    vatRateBp: 1900,
    retiredAt: null,
    createdAt: new Date(),
  };

  it('26 hours: lines, gross, VAT, net, deposit and total', () => {
    expect(priceForPeriod(tariff, at(0), at(26))).toEqual({
      amountCents: 1000,
      vatCents: 160,
      netCents: 840,
      vatRateBp: 1900,
      depositCents: 2000,
      totalCents: 3000,
      lines: [
        { unit: 'DAY', quantity: 1, unitPriceCents: 800, amountCents: 800 },
        { unit: 'HOUR', quantity: 2, unitPriceCents: 100, amountCents: 200 },
      ],
    });
  });

  it('no tariff: free; a free tariff: lines at 0 €', () => {
    expect(priceForPeriod(null, at(0), at(3)).totalCents).toBe(0);
    const free = { ...tariff, prices: prices({ HOUR: 0, DAY: 0 }), depositCents: 0 };
    expect(priceForPeriod(free, at(0), at(3))).toMatchObject({
      totalCents: 0,
      lines: [{ unit: 'DAY', quantity: 1 }],
    });
  });

  it('refuses a total above Stripe’s maximum (MAX_CHARGE_CENTS), accepts one just below', () => {
    const dear = { ...tariff, prices: prices({ HOUR: 100_000 }), depositCents: 0 };
    // 999 hours at 1,000 € = 99,900,000 cents ≤ 99,999,999; 1,000 hours exceed it.
    expect(priceForPeriod(dear, at(0), at(999)).totalCents).toBe(99_900_000);
    expect(MAX_CHARGE_CENTS).toBe(99_999_999);
    expect(() => priceForPeriod(dear, at(0), at(1000))).toThrow(ValidationError);
  });

  it('a subscription-only tariff cannot be booked by the period', () => {
    const subOnly = { ...tariff, prices: prices({}) };
    expect(() => priceForPeriod(subOnly, at(0), at(3))).toThrow(ValidationError);
  });
});
