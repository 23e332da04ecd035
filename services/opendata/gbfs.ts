/** The GBFS versions we publish: every town's data set in 3.0, and in 3.1-RC3 for vehicle_availability. */
export const GBFS_V3 = '3.0' as const;
export const GBFS_V31 = '3.1-RC3' as const;
export type GbfsVersion = typeof GBFS_V3 | typeof GBFS_V31;

export const FEEDS_V3 = [
  'gbfs',
  'gbfs_versions',
  'system_information',
  'vehicle_types',
  'station_information',
  'station_status',
  'vehicle_status',
  'system_pricing_plans',
  'system_alerts',
] as const;
/** 3.1-RC3 adds vehicle_availability: when each vehicle can be reserved ahead (cargo bikes). */
export const FEEDS_V31 = [...FEEDS_V3, 'vehicle_availability'] as const;
export type FeedName = (typeof FEEDS_V31)[number];

/**
 * Seconds each file stays valid. Availability changes with every reservation and trip; the
 * rest changes when operators edit stations or vehicles. `last_updated` is the start of the
 * current publication window (now rounded down to the ttl), so every instance answers the same
 * body for the same data, ETags match, and a reader is never told the data is older than it is.
 */
export const REALTIME_TTL_SECONDS = 30;
export const ALERTS_TTL_SECONDS = 60;
export const STATIC_TTL_SECONDS = 300;

export const FEED_TTL: Record<FeedName | 'manifest', number> = {
  gbfs: STATIC_TTL_SECONDS,
  gbfs_versions: STATIC_TTL_SECONDS,
  manifest: STATIC_TTL_SECONDS,
  system_information: STATIC_TTL_SECONDS,
  vehicle_types: STATIC_TTL_SECONDS,
  station_information: STATIC_TTL_SECONDS,
  system_pricing_plans: STATIC_TTL_SECONDS,
  station_status: REALTIME_TTL_SECONDS,
  vehicle_status: REALTIME_TTL_SECONDS,
  vehicle_availability: REALTIME_TTL_SECONDS,
  system_alerts: ALERTS_TTL_SECONDS,
};

/** How far ahead vehicle_availability lists reservations (as far as riders may reserve). */
export const AVAILABILITY_HORIZON_DAYS = 30;

/** The envelope every GBFS file shares. */
export interface GbfsFile<T> {
  last_updated: string;
  ttl: number;
  version: GbfsVersion;
  data: T;
}

export type LocalizedText = { text: string; language: string }[];

/** RFC 3339 without milliseconds, as the GBFS examples write it. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Start of the publication window that contains `now`. */
export function windowStart(now: Date, ttlSeconds: number): Date {
  const ms = ttlSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** GBFS system ids: one system per town. */
export const systemId = (tenantId: string) => `swf-${tenantId}`;
