import type { Vehicle } from '../stations/vehicle.ts';
import { freeSlots } from '../stations/vehicle-availability.ts';
import type { GbfsSnapshot } from './gbfs.data.ts';
import { GBFS_V31, type GbfsVersion, type LocalizedText, rfc3339, systemId } from './gbfs.ts';

/**
 * The `data` part of each GBFS file, from one town's snapshot. Pure functions: the same
 * snapshot gives the same bytes, which is what makes ETags work.
 *
 * Privacy (GBFS v3 "Data Privacy"): vehicles out on a trip are not listed; vehicle_status
 * shows no position, only the station, and its vehicle_id is rotated after every trip;
 * nothing about riders or reservations' holders is published.
 */

export interface FeedContext {
  version: GbfsVersion;
  /** Absolute URL of the GBFS root, e.g. http://localhost:4000/gbfs */
  root: string;
  contactEmail: string;
}

const both = (de: string, en: string): LocalizedText => [
  { text: de, language: 'de' },
  { text: en, language: 'en' },
];
const german = (text: string): LocalizedText => [{ text, language: 'de' }];

/** Live reservation of the vehicle at `at`. */
function reservedAt(s: GbfsSnapshot, vehicle: Vehicle, at: Date): boolean {
  return s.busy.some((b) => b.vehicleId === vehicle.id && b.from <= at && b.to > at);
}

const typeCode = (s: GbfsSnapshot, vehicle: Vehicle) =>
  s.types.find((t) => t.id === vehicle.vehicleTypeId)?.code;

export function systemInformation(s: GbfsSnapshot, ctx: FeedContext) {
  return {
    system_id: systemId(s.tenant.id),
    languages: ['de', 'en'],
    name: both(`${s.tenant.name} – Mobilstationen`, `${s.tenant.name} – mobility stations`),
    operator: german(s.tenant.name),
    opening_hours: '24/7',
    feed_contact_email: ctx.contactEmail,
    timezone: s.tenant.timezone,
    manifest_url:
      ctx.version === GBFS_V31 ? `${ctx.root}/v${GBFS_V31}/manifest.json` : `${ctx.root}/manifest.json`,
    license_id: 'DL-DE-BY-2.0',
    attribution_organization_name: german('Mobilität Südwestfalen'),
  };
}

export function vehicleTypes(s: GbfsSnapshot) {
  return {
    vehicle_types: s.types.map((t) => {
      const plans = s.plans.filter((p) => p.vehicleTypeIds.includes(t.code)).map((p) => p.planId);
      return {
        vehicle_type_id: t.code,
        form_factor: t.formFactor,
        propulsion_type: t.propulsion,
        ...(t.maxRangeMeters !== null && { max_range_meters: t.maxRangeMeters }),
        name: german(t.name),
        ...(t.riderCapacity !== null && { rider_capacity: t.riderCapacity }),
        ...(t.cargoLoadKg !== null && { cargo_load_capacity: t.cargoLoadKg }),
        ...(t.cargoVolumeLiters !== null && { cargo_volume_capacity: t.cargoVolumeLiters }),
        return_constraint: s.tenant.oneWayReturns ? 'any_station' : 'roundtrip_station',
        ...(plans.length > 0 && { default_pricing_plan_id: plans[0], pricing_plan_ids: plans }),
      };
    }),
  };
}

export function stationInformation(s: GbfsSnapshot, ctx: FeedContext) {
  return {
    stations: s.stations.map((st) => ({
      station_id: st.id,
      name: german(st.name),
      lat: st.position.lat,
      lon: st.position.lon,
      ...(st.address.street && { address: st.address.street }),
      ...(st.address.postalCode && { post_code: st.address.postalCode }),
      ...(ctx.version === GBFS_V31 && st.address.city && { city: st.address.city }),
      ...(st.openingHours && { station_opening_hours: st.openingHours }),
      capacity: st.vehicleCapacity,
      is_charging_station: st.chargingPoints > 0,
    })),
  };
}

export function stationStatus(s: GbfsSnapshot, now: Date) {
  return {
    stations: s.stations.map((st) => {
      const here = s.vehicles.filter((v) => v.stationId === st.id);
      const available = here.filter((v) => v.status === 'available' && !reservedAt(s, v, now));
      const parked = s.parked.get(st.id) ?? here.length;
      const reported = new Date(Math.max(st.updatedAt.getTime(), ...here.map((v) => v.updatedAt.getTime())));
      return {
        station_id: st.id,
        num_vehicles_available: st.isRenting ? available.length : 0,
        vehicle_types_available: s.types.map((t) => ({
          vehicle_type_id: t.code,
          count: st.isRenting ? available.filter((v) => v.vehicleTypeId === t.id).length : 0,
        })),
        num_vehicles_disabled: here.filter((v) => v.status === 'maintenance').length,
        num_docks_available: Math.max(0, st.vehicleCapacity - parked),
        is_installed: true,
        is_renting: st.isRenting,
        is_returning: st.acceptsReturns,
        last_reported: rfc3339(reported),
      };
    }),
  };
}

export function vehicleStatus(s: GbfsSnapshot, now: Date) {
  return {
    vehicles: s.vehicles
      .filter((v) => v.stationId !== null && v.status !== 'in_use')
      .map((v) => {
        const type = s.types.find((t) => t.id === v.vehicleTypeId);
        const state = s.states.get(v.id);
        const battery = state?.batteryPercent ?? null;
        const lastReported =
          state?.lastSeenAt && state.lastSeenAt > v.updatedAt ? state.lastSeenAt : v.updatedAt;
        return {
          vehicle_id: v.publicId,
          is_reserved: reservedAt(s, v, now),
          is_disabled: v.status === 'maintenance',
          ...(type && { vehicle_type_id: type.code }),
          last_reported: rfc3339(lastReported),
          ...(battery !== null &&
            type?.maxRangeMeters && {
              current_range_meters: Math.round((type.maxRangeMeters * battery) / 100),
            }),
          ...(battery !== null &&
            type?.propulsion !== 'human' && { current_fuel_percent: Math.round(battery) / 100 }),
          station_id: v.stationId!,
          home_station_id: v.homeStationId,
        };
      }),
  };
}

/**
 * 3.1-RC3: when each vehicle can be reserved, from the start of the publication window up to
 * the horizon. The vehicle id here is the stable one riders reserve with (a reservation ahead
 * needs a vehicle that is still the same one tomorrow); it never appears in vehicle_status.
 */
export function vehicleAvailability(s: GbfsSnapshot) {
  return {
    vehicles: s.vehicles
      .filter((v) => v.status !== 'maintenance')
      .map((v) => {
        const code = typeCode(s, v);
        return {
          vehicle_id: v.id,
          ...(code && { vehicle_type_id: code }),
          station_id: v.stationId ?? v.homeStationId,
          availabilities: freeSlots(
            s.busy.filter((b) => b.vehicleId === v.id),
            s.from,
          ).map((slot) => ({ from: rfc3339(slot.from), ...(slot.until && { until: rfc3339(slot.until) }) })),
        };
      }),
  };
}

export function systemPricingPlans(s: GbfsSnapshot) {
  return {
    plans: s.plans.map((p) => ({
      plan_id: p.planId,
      name: both(p.name.de, p.name.en),
      currency: p.currency,
      price: p.price,
      is_taxable: p.isTaxable,
      description: both(p.description.de, p.description.en),
      ...(p.perMinute && { per_min_pricing: p.perMinute }),
    })),
  };
}

/** Stations that do not rent or take no returns are announced as (partial) closures. */
export function systemAlerts(s: GbfsSnapshot) {
  return {
    alerts: s.stations
      .filter((st) => !st.isRenting || !st.acceptsReturns)
      .map((st) => ({
        alert_id: `station-${st.id}-${st.isRenting ? 'returns' : 'rentals'}`,
        type: 'station_closure',
        station_ids: [st.id],
        summary: !st.isRenting
          ? both(`${st.name}: zurzeit kein Verleih`, `${st.name}: no rentals at the moment`)
          : both(`${st.name}: zurzeit keine Rückgabe`, `${st.name}: no returns at the moment`),
        last_updated: rfc3339(st.updatedAt),
      })),
  };
}
