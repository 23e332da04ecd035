import type { Tx } from '../../core/db/database.ts';
import { siteRowToSite } from '../site.repository.ts';
import type { Site } from '../site.ts';
import { spaceRowToSpace } from '../space.repository.ts';
import type { Space } from '../space.ts';

/** Keeps each `in (...)` list far below PostgreSQL's 65535 bind parameters, whatever the file size. */
const LOOKUP_CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += LOOKUP_CHUNK) out.push(items.slice(i, i + LOOKUP_CHUNK));
  return out;
}

/**
 * Lookups for the import. Rows are locked until commit, so an operator's edit or a second
 * import cannot slip in between the comparison with the file and the write. Retired rows are
 * included (the shared repositories leave them out) because labels and refs stay unique
 * across them.
 */
export const siteImportRepository = {
  async lockSitesByRefs(tx: Tx, tenantId: string, refs: readonly string[]): Promise<Site[]> {
    const sites: Site[] = [];
    for (const chunk of chunks(refs)) {
      const rows = await tx
        .selectFrom('site')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('external_ref', 'in', chunk)
        .orderBy('id')
        .forUpdate()
        .execute();
      sites.push(...rows.map(siteRowToSite));
    }
    return sites;
  },

  async lockSpacesBySites(tx: Tx, siteIds: readonly string[]): Promise<Space[]> {
    const spaces: Space[] = [];
    for (const chunk of chunks(siteIds)) {
      const rows = await tx
        .selectFrom('space')
        .selectAll()
        .where('site_id', 'in', chunk)
        .orderBy('id')
        .forUpdate()
        .execute();
      spaces.push(...rows.map(spaceRowToSpace));
    }
    return spaces;
  },
};
