import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import type { TripPricing } from '../stations/trip-pricing.ts';
import { loadSnapshot, townsWithStations } from './gbfs.data.ts';
import {
  type FeedContext,
  stationInformation,
  stationStatus,
  systemAlerts,
  systemInformation,
  systemPricingPlans,
  vehicleAvailability,
  vehicleStatus,
  vehicleTypes,
} from './gbfs.feeds.ts';
import {
  FEED_TTL,
  FEEDS_V3,
  FEEDS_V31,
  type FeedName,
  GBFS_V3,
  GBFS_V31,
  type GbfsFile,
  type GbfsVersion,
  rfc3339,
  systemId,
  windowStart,
} from './gbfs.ts';

export interface GbfsRoutesOptions {
  db: Db;
  clock: Clock;
  pricing: TripPricing;
  /** Address of the GBFS root as the public sees it (behind a proxy); default: from the request. */
  publicUrl?: string | undefined;
  contactEmail: string;
}

const tenantPattern = /^[a-z][a-z0-9-]{1,40}$/;

/** Strong ETag over the exact bytes sent. */
function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

/**
 * The public GBFS endpoints, to be mounted at `/gbfs` (the opendata service and, in the
 * embedded default, the API). Each file carries an ETag and Cache-Control that end with its
 * publication window; a matching If-None-Match gets 304 without a body.
 */
export function createGbfsRoutes(options: GbfsRoutesOptions) {
  const app = new Hono();
  // Journey planners read GBFS from the browser too.
  app.use('*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag'] }));

  const rootOf = (c: Context) =>
    (options.publicUrl ?? `${new URL(c.req.url).origin}/gbfs`).replace(/\/$/, '');
  const datasetRoot = (root: string, tenantId: string, version: GbfsVersion) =>
    version === GBFS_V3 ? `${root}/${tenantId}` : `${root}/${tenantId}/v${version}`;

  const send = (c: Context, version: GbfsVersion, feed: FeedName | 'manifest', data: unknown, now: Date) => {
    const ttl = FEED_TTL[feed];
    const start = windowStart(now, ttl);
    const file: GbfsFile<unknown> = { last_updated: rfc3339(start), ttl, version, data };
    const body = JSON.stringify(file);
    const etag = etagOf(body);
    const remaining = Math.max(1, Math.ceil((start.getTime() + ttl * 1000 - now.getTime()) / 1000));
    const headers = {
      ETag: etag,
      'Cache-Control': `public, max-age=${remaining}`,
      'Content-Type': 'application/json; charset=utf-8',
    };
    if (matches(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
    return c.body(body, 200, headers);
  };

  const notFound = (c: Context, what: string) =>
    c.json({ error: { code: 'NOT_FOUND', message: `No such GBFS ${what}` } }, 404);

  const manifest = async (c: Context, version: GbfsVersion) => {
    const now = options.clock.now();
    const root = rootOf(c);
    const towns = await townsWithStations(options.db);
    const versions = (tenantId: string) =>
      version === GBFS_V3
        ? [{ version: GBFS_V3, url: `${datasetRoot(root, tenantId, GBFS_V3)}/gbfs.json` }]
        : ([GBFS_V3, GBFS_V31] as const).map((v) => ({
            version: v,
            url: `${datasetRoot(root, tenantId, v)}/gbfs.json`,
          }));
    const datasets = towns.map((t) => ({
      system_id: systemId(t),
      versions: versions(t),
      ...(version === GBFS_V31 && { country_code: 'DE' }),
    }));
    return send(c, version, 'manifest', { datasets }, now);
  };

  const feed = async (c: Context, version: GbfsVersion, tenantId: string, name: string) => {
    const names: readonly string[] = version === GBFS_V3 ? FEEDS_V3 : FEEDS_V31;
    if (!tenantPattern.test(tenantId) || !names.includes(name)) return notFound(c, 'file');
    const feedName = name as FeedName;
    const now = options.clock.now();
    const root = rootOf(c);
    const dataset = datasetRoot(root, tenantId, version);
    const snapshot = await loadSnapshot(
      options.db,
      options.pricing,
      tenantId,
      windowStart(now, FEED_TTL[feedName]),
    );
    if (!snapshot) return notFound(c, 'system');
    const ctx: FeedContext = { version, root, contactEmail: options.contactEmail };
    switch (feedName) {
      case 'gbfs':
        return send(
          c,
          version,
          feedName,
          { feeds: names.map((n) => ({ name: n, url: `${dataset}/${n}.json` })) },
          now,
        );
      case 'gbfs_versions': {
        // A 3.0 file may only name versions up to 3.0; the 3.1-RC3 one lists both data sets.
        const listed: GbfsVersion[] = version === GBFS_V3 ? [GBFS_V3] : [GBFS_V3, GBFS_V31];
        const versions = listed.map((v) => ({
          version: v,
          url: `${datasetRoot(root, tenantId, v)}/gbfs.json`,
        }));
        return send(c, version, feedName, { versions }, now);
      }
      case 'system_information':
        return send(c, version, feedName, systemInformation(snapshot, ctx), now);
      case 'vehicle_types':
        return send(c, version, feedName, vehicleTypes(snapshot), now);
      case 'station_information':
        return send(c, version, feedName, stationInformation(snapshot, ctx), now);
      case 'station_status':
        return send(c, version, feedName, stationStatus(snapshot, now), now);
      case 'vehicle_status':
        return send(c, version, feedName, vehicleStatus(snapshot, now), now);
      case 'system_pricing_plans':
        return send(c, version, feedName, systemPricingPlans(snapshot), now);
      case 'system_alerts':
        return send(c, version, feedName, systemAlerts(snapshot), now);
      case 'vehicle_availability':
        return send(c, version, feedName, vehicleAvailability(snapshot), now);
    }
  };

  app.get('/manifest.json', (c) => manifest(c, GBFS_V3));
  app.get(`/v${GBFS_V31}/manifest.json`, (c) => manifest(c, GBFS_V31));
  app.get(`/:tenant/v${GBFS_V31}/:file{[a-z_]+\\.json}`, (c) =>
    feed(c, GBFS_V31, c.req.param('tenant'), c.req.param('file').replace(/\.json$/, '')),
  );
  app.get('/:tenant/:file{[a-z_]+\\.json}', (c) =>
    feed(c, GBFS_V3, c.req.param('tenant'), c.req.param('file').replace(/\.json$/, '')),
  );
  return app;
}
