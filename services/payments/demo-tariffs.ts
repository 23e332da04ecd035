import type { Db } from '../core/db/database.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import type { SpaceType } from '../garages/space.ts';
import type { FormFactor } from '../stations/vehicle.ts';
import type { RefundPolicy } from './payment.ts';
import { tariffRepository } from './tariff.repository.ts';

interface DemoTariff {
  hour?: number;
  day?: number;
  week?: number;
  month?: number;
  subscription?: number;
  deposit?: number;
}

interface DemoTown {
  /** Postal address of the town hall, printed on receipts. */
  address: string;
  policy: RefundPolicy;
  percent: number;
  tariffs: Partial<Record<SpaceType, DemoTariff>>;
  /** Trip tariffs of the shared vehicles at the town's mobility stations. */
  vehicleTariffs?: Partial<Record<FormFactor, DemoTariff>>;
}

/** 19 %: renting out parking spaces is a taxable business activity of a town (§ 2b UStG). */
const VAT_BP = 1900;

/**
 * Demo prices in euro cents, in the range German bike-box schemes charge (50 ct an hour up to
 * about 35 € a month for a cargo bike box). Bad Berleburg lets its standard boxes for free.
 */
export const demoTownTariffs: Record<string, DemoTown> = {
  arnsberg: {
    address: 'Rathausplatz 1, 59759 Arnsberg',
    policy: 'full',
    percent: 100,
    tariffs: {
      STANDARD: { hour: 50, day: 150, week: 700, month: 1500, subscription: 1200 },
      E_BIKE_CHARGING: { hour: 100, day: 300, week: 1200, month: 2500, subscription: 2000, deposit: 1000 },
      CARGO: { day: 300, week: 1500, month: 3500, subscription: 3000, deposit: 2000 },
      LARGE: { day: 300, week: 1500, month: 3000, subscription: 2500 },
    },
    vehicleTariffs: { bicycle: { hour: 150, day: 1200 }, cargo_bicycle: { hour: 250, day: 1800 } },
  },
  'bad-berleburg': {
    address: 'Marktplatz 1, 57319 Bad Berleburg',
    policy: 'partial',
    percent: 50,
    tariffs: {
      STANDARD: { hour: 0, day: 0 },
      E_BIKE_CHARGING: { day: 100, month: 1200, subscription: 1000 },
    },
  },
  menden: {
    address: 'Neumarkt 5, 58706 Menden (Sauerland)',
    policy: 'full',
    percent: 100,
    tariffs: {
      STANDARD: { hour: 50, day: 100, month: 1000, subscription: 800 },
      E_BIKE_CHARGING: { hour: 100, day: 200, month: 1800, subscription: 1500, deposit: 1000 },
      CARGO: { day: 200, month: 2500, subscription: 2200 },
    },
  },
  olpe: {
    address: 'Franziskanerstraße 6, 57462 Olpe',
    policy: 'none',
    percent: 0,
    tariffs: {
      STANDARD: { day: 100, week: 500, month: 1200, subscription: 1000 },
      E_BIKE_CHARGING: { day: 200, week: 900, month: 2000, subscription: 1800, deposit: 500 },
      CARGO: { day: 250, week: 1200, month: 2800 },
    },
  },
  soest: {
    address: 'Am Vreithof 8, 59494 Soest',
    policy: 'partial',
    percent: 75,
    tariffs: {
      STANDARD: { hour: 50, day: 200, week: 800, month: 1500, subscription: 1200 },
      E_BIKE_CHARGING: { hour: 100, day: 300, week: 1200, month: 2500, subscription: 2000, deposit: 1000 },
      CARGO: { hour: 100, day: 400, week: 1600, month: 3500, deposit: 2000 },
      LARGE: { day: 400, month: 3000, subscription: 2500 },
    },
    vehicleTariffs: { bicycle: { hour: 200, day: 1500 }, cargo_bicycle: { hour: 300, day: 2000 } },
  },
};

const vehicleTariffNames: Partial<Record<FormFactor, string>> = {
  bicycle: 'E-Bike-Fahrt',
  cargo_bicycle: 'Lastenrad-Fahrt',
};

const typeNames: Record<SpaceType, string> = {
  STANDARD: 'Fahrradbox',
  E_BIKE_CHARGING: 'E-Bike-Box mit Laden',
  CARGO: 'Lastenrad-Box',
  LARGE: 'Große Box',
};

/**
 * Demo tariffs (bike boxes and shared-vehicle trips), merchant addresses and cancellation policies for the five towns. Safe to
 * repeat: a tariff is only added where the town never had one for that space type (so an
 * operator's change or retirement stands), and town settings only where none were set.
 */
export async function seedDemoTariffs(db: Db): Promise<number> {
  let added = 0;
  await withActor(db, systemActor, async (tx) => {
    for (const [tenantId, town] of Object.entries(demoTownTariffs)) {
      await tx
        .updateTable('tenant')
        .set({
          merchant_address: town.address,
          cancellation_refund_policy: town.policy,
          cancellation_refund_percent: town.percent,
        })
        .where('id', '=', tenantId)
        .where('merchant_address', 'is', null)
        .execute();
      for (const [type, t] of Object.entries(town.tariffs) as [SpaceType, DemoTariff][]) {
        const ever = await tx
          .selectFrom('tariff')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where('space_type', '=', type)
          .executeTakeFirst();
        if (ever) continue;
        await tariffRepository.insert(tx, tenantId, type, {
          name: typeNames[type],
          hour_cents: t.hour ?? null,
          day_cents: t.day ?? null,
          week_cents: t.week ?? null,
          month_cents: t.month ?? null,
          subscription_month_cents: t.subscription ?? null,
          deposit_cents: t.deposit ?? 0,
          vat_rate_bp: VAT_BP,
        });
        added++;
      }
      for (const [formFactor, t] of Object.entries(town.vehicleTariffs ?? {}) as [FormFactor, DemoTariff][]) {
        const ever = await tx
          .selectFrom('tariff')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where('form_factor', '=', formFactor)
          .executeTakeFirst();
        if (ever) continue;
        await tariffRepository.insertForVehicles(tx, tenantId, formFactor, {
          name: vehicleTariffNames[formFactor] ?? formFactor,
          hour_cents: t.hour ?? null,
          day_cents: t.day ?? null,
          vat_rate_bp: VAT_BP,
        });
        added++;
      }
    }
  });
  return added;
}
