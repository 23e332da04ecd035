import type { ArgBuilder, InputFieldBuilder } from '@pothos/core';
import { builder } from '../api/graphql/builder.ts';
import type { Types } from './listing.graphql.ts';
import type { GeoPoint } from './site.ts';

/**
 * What bike garages (sites) and mobility stations share in GraphQL as places: a position,
 * the search arguments (town, near a point, radius, page), the address-and-position input
 * fields, and the "absent keeps, null clears" rule of their patches.
 */
export const GeoPointRef = builder.objectRef<GeoPoint>('GeoPoint').implement({
  description: 'WGS 84 position',
  fields: (t) => ({ lat: t.exposeFloat('lat'), lon: t.exposeFloat('lon') }),
});

export const GeoPointInput = builder.inputType('GeoPointInput', {
  fields: (t) => ({ lat: t.float({ required: true }), lon: t.float({ required: true }) }),
});

/** Arguments of a place search; `placeFilter` turns them into the services' filter. */
export function placeSearchArgs(arg: ArgBuilder<Types>) {
  return {
    tenant: arg.string(),
    near: arg({ type: GeoPointInput }),
    radiusKm: arg.float(),
    first: arg.int(),
    after: arg.string(),
  };
}

export function placeFilter(args: {
  tenant?: string | null;
  near?: { lat: number; lon: number } | null;
  radiusKm?: number | null;
}) {
  return {
    tenantId: args.tenant ?? undefined,
    near: args.near ?? undefined,
    radiusKm: args.radiusKm ?? undefined,
  };
}

/** Name, address, position and references of a new place (required where create needs them). */
export function placeInputFields(t: InputFieldBuilder<Types, 'InputObject'>) {
  return {
    name: t.string({ required: true }),
    street: t.string(),
    postalCode: t.string(),
    city: t.string(),
    position: t.field({ type: GeoPointInput, required: true }),
    openingHours: t.string(),
    externalRef: t.string(),
  };
}

/** The same fields for a change, all optional. */
export function placePatchFields(t: InputFieldBuilder<Types, 'InputObject'>) {
  return {
    name: t.string(),
    street: t.string(),
    postalCode: t.string(),
    city: t.string(),
    position: t.field({ type: GeoPointInput }),
    openingHours: t.string(),
    externalRef: t.string(),
  };
}

/** GraphQL null means "clear", absent means "keep"; both arrive as null/undefined here. */
export function definedOnly<T extends Record<string, unknown>>(input: T) {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
