import { z } from 'zod';
import { siteFields } from '../garages/inventory.validation.ts';
import { FORM_FACTORS, PROPULSIONS } from './vehicle.ts';

/** Most places for shared vehicles at one station (as the database check). */
export const MAX_VEHICLE_CAPACITY = 500;
export const MAX_CHARGING_POINTS = 200;

const optionalUuid = z.uuid('Not a valid id').nullish();

const stationFields = {
  ...siteFields,
  vehicleCapacity: z
    .number()
    .int()
    .min(0)
    .max(MAX_VEHICLE_CAPACITY, `At most ${MAX_VEHICLE_CAPACITY} places`),
  acceptsReturns: z.boolean().optional(),
  isRenting: z.boolean().optional(),
  chargingPoints: z.number().int().min(0).max(MAX_CHARGING_POINTS).optional(),
  busStopRef: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'Stop id (DHID) may use letters, digits and :_.- (at most 64)')
    .nullish(),
  busStopName: z.string().trim().min(1).max(200).nullish(),
  bikeGarageSiteId: optionalUuid,
  benchSiteId: optionalUuid,
};

export const stationInputSchema = z.object(stationFields);
export const stationPatchSchema = z.object(stationFields).partial();

const optionalCount = (max: number) => z.number().int().min(1).max(max).nullish();

export const vehicleTypeInputSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'Code: lowercase letters, digits, _ and - (at most 40)'),
    name: z.string().trim().min(1).max(100),
    formFactor: z.enum(FORM_FACTORS),
    propulsion: z.enum(PROPULSIONS),
    maxRangeMeters: z.number().int().min(1).max(2_000_000).nullish(),
    riderCapacity: optionalCount(9),
    cargoLoadKg: optionalCount(2000),
    cargoVolumeLiters: optionalCount(20_000),
  })
  .refine((t) => t.propulsion === 'human' || t.maxRangeMeters != null, {
    message: 'A vehicle with a motor needs its range (maxRangeMeters)',
    path: ['maxRangeMeters'],
  });

export const vehicleInputSchema = z.object({
  vehicleTypeId: z.uuid('Not a valid id'),
  label: z.string().trim().min(1).max(60),
  deviceId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Device id may use letters, digits and _.:- (at most 64)'),
  homeStationId: z.uuid('Not a valid id'),
});

/** Type, label and device of an existing vehicle; each optional (absent keeps it). */
export const vehicleEditSchema = vehicleInputSchema
  .pick({ vehicleTypeId: true, label: true, deviceId: true })
  .partial();
