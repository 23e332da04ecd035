import { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import { SPACE_TYPES } from './space.ts';

/**
 * The rules for sites and spaces, shared by the GraphQL mutations and the file import,
 * so that a row the import accepts is exactly a row an operator could have typed in.
 */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullish();

export const siteFields = {
  name: z.string().trim().min(1, 'Name is required').max(200),
  street: optionalText(200),
  postalCode: z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : v))
    .pipe(
      z
        .string()
        .regex(/^\d{5}$/, 'Postal code must have 5 digits')
        .nullable(),
    )
    .nullish(),
  city: optionalText(100),
  lat: z
    .number()
    .min(-90, 'Latitude must be between -90 and 90')
    .max(90, 'Latitude must be between -90 and 90'),
  lon: z
    .number()
    .min(-180, 'Longitude must be between -180 and 180')
    .max(180, 'Longitude must be between -180 and 180'),
  openingHours: optionalText(200),
  externalRef: optionalText(100),
};

export const siteInputSchema = z.object(siteFields);
export const sitePatchSchema = z.object(siteFields).partial();

export const spaceFields = {
  label: z.string().trim().min(1, 'Label is required').max(60),
  type: z.enum(SPACE_TYPES, { message: `Type must be one of ${SPACE_TYPES.join(', ')}` }),
  lockDeviceId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Lock device id may use letters, digits and _.:- (at most 64)')
    .nullish(),
};

export const spaceInputSchema = z.object(spaceFields);
export const spacePatchSchema = z.object(spaceFields).partial();

/** Parses with zod and turns the first problem into a ValidationError naming the field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ValidationError(issue?.message ?? 'Invalid input', issue?.path.join('.') || undefined);
}
