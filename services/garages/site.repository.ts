import type { SiteRow, SiteUpdate, Tx } from '../core/db/database.ts';
import { boundingBox, distanceKm } from './geo.ts';
import type { GeoPoint, Site, SiteInput, SitePatch } from './site.ts';

export function siteRowToSite(row: SiteRow): Site {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    name: row.name,
    address: { street: row.street, postalCode: row.postal_code, city: row.city },
    position: { lat: row.lat, lon: row.lon },
    openingHours: row.opening_hours,
    externalRef: row.external_ref,
    retiredAt: row.retired_at,
  };
}

export interface SiteFilter {
  tenantId?: string | undefined;
  near?: GeoPoint | undefined;
  radiusKm?: number | undefined;
}

function patchToUpdate(patch: SitePatch): SiteUpdate {
  const update: SiteUpdate = { updated_at: new Date() };
  if (patch.name !== undefined) update.name = patch.name;
  if (patch.street !== undefined) update.street = patch.street;
  if (patch.postalCode !== undefined) update.postal_code = patch.postalCode;
  if (patch.city !== undefined) update.city = patch.city;
  if (patch.lat !== undefined) update.lat = patch.lat;
  if (patch.lon !== undefined) update.lon = patch.lon;
  if (patch.openingHours !== undefined) update.opening_hours = patch.openingHours;
  if (patch.externalRef !== undefined) update.external_ref = patch.externalRef;
  return update;
}

export const siteRepository = {
  /** Keeps the order of `ids`; ids the actor may not see come back as undefined. */
  async findByIds(tx: Tx, ids: readonly string[]): Promise<(Site | undefined)[]> {
    if (ids.length === 0) return [];
    const rows = await tx.selectFrom('site').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, siteRowToSite(r)]));
    return ids.map((id) => byId.get(id));
  },

  async findById(tx: Tx, id: string): Promise<Site | undefined> {
    const row = await tx.selectFrom('site').selectAll().where('id', '=', id).executeTakeFirst();
    return row && siteRowToSite(row);
  },

  /** Sites the actor may see, nearest first when a position is given, else by town and name. */
  async list(tx: Tx, filter: SiteFilter, page: { limit: number; offset: number }): Promise<Site[]> {
    let query = tx.selectFrom('site').selectAll().where('retired_at', 'is', null);
    if (filter.tenantId) query = query.where('tenant_id', '=', filter.tenantId);
    if (filter.near && filter.radiusKm !== undefined) {
      const box = boundingBox(filter.near, filter.radiusKm);
      query = query.where((eb) =>
        eb.and([
          eb('lat', '>=', box.minLat),
          eb('lat', '<=', box.maxLat),
          eb('lon', '>=', box.minLon),
          eb('lon', '<=', box.maxLon),
        ]),
      );
      const near = filter.near;
      const radius = filter.radiusKm;
      const sites = (await query.execute())
        .map(siteRowToSite)
        .map((site) => ({ site, distance: distanceKm(near, site.position) }))
        .filter((s) => s.distance <= radius)
        .sort((a, b) => a.distance - b.distance || a.site.id.localeCompare(b.site.id));
      return sites.slice(page.offset, page.offset + page.limit).map((s) => s.site);
    }
    const rows = await query
      .orderBy('tenant_id')
      .orderBy('name')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(siteRowToSite);
  },

  async insert(tx: Tx, input: SiteInput): Promise<Site> {
    const row = await tx
      .insertInto('site')
      .values({
        tenant_id: input.tenantId,
        name: input.name,
        street: input.street ?? null,
        postal_code: input.postalCode ?? null,
        city: input.city ?? null,
        lat: input.lat,
        lon: input.lon,
        opening_hours: input.openingHours ?? null,
        external_ref: input.externalRef ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return siteRowToSite(row);
  },

  /** Returns undefined when the row is missing or row-level security hides it. */
  async update(tx: Tx, id: string, patch: SitePatch): Promise<Site | undefined> {
    const row = await tx
      .updateTable('site')
      .set(patchToUpdate(patch))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && siteRowToSite(row);
  },

  async retire(tx: Tx, id: string, at: Date): Promise<Site | undefined> {
    const row = await tx
      .updateTable('site')
      .set({ retired_at: at, updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && siteRowToSite(row);
  },
};
