import { z } from 'zod';
import { SPACE_TYPES } from '../garages/space.ts';
import { FORM_FACTORS } from '../stations/vehicle.ts';
import { MAX_UNIT_PRICE_CENTS, MAX_VAT_RATE_BP } from './tariff.ts';

const cents = (what: string) =>
  z
    .number()
    .int(`${what} must be whole cents`)
    .min(0, `${what} must not be negative`)
    .max(MAX_UNIT_PRICE_CENTS, `${what} may be at most ${MAX_UNIT_PRICE_CENTS} cents`);

/** Tariff rules, shared by create and update so a patch can never make what create refuses. */
export const tariffFields = {
  name: z.string().trim().min(1, 'Name is required').max(120),
  hourCents: cents('The hourly price').nullish(),
  dayCents: cents('The daily price').nullish(),
  weekCents: cents('The weekly price').nullish(),
  monthCents: cents('The monthly price').nullish(),
  subscriptionMonthCents: cents('The subscription price').nullish(),
  depositCents: cents('The deposit').nullish(),
  vatRateBp: z
    .number()
    .int('The VAT rate is in whole basis points (1900 = 19 %)')
    .min(0, 'The VAT rate must not be negative')
    .max(MAX_VAT_RATE_BP, 'The VAT rate is in basis points: at most 10000 (100 %)'),
};

const offersSomething = (t: {
  hourCents?: number | null;
  dayCents?: number | null;
  weekCents?: number | null;
  monthCents?: number | null;
  subscriptionMonthCents?: number | null;
}) => [t.hourCents, t.dayCents, t.weekCents, t.monthCents, t.subscriptionMonthCents].some((p) => p != null);

export const tariffInputSchema = z
  .object({ spaceType: z.enum(SPACE_TYPES), ...tariffFields })
  .refine(offersSomething, {
    message: 'Give at least one price (0 makes it free) / Mindestens einen Preis angeben',
    path: ['hourCents'],
  });

export const tariffPatchSchema = z.object(tariffFields).partial();

/** A trip tariff: per started hour, a day price as the cap, or both. */
export const vehicleTariffInputSchema = z
  .object({
    formFactor: z.enum(FORM_FACTORS),
    name: tariffFields.name,
    hourCents: tariffFields.hourCents,
    dayCents: tariffFields.dayCents,
    vatRateBp: tariffFields.vatRateBp,
  })
  .refine((t) => t.hourCents != null || t.dayCents != null, {
    message: 'Give an hourly or a daily price (0 makes it free) / Stunden- oder Tagespreis angeben',
    path: ['hourCents'],
  });
