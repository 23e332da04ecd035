import { sql } from 'kysely';
import type { Db, Tx } from '../core/db/database.ts';
import type { Space, SpaceType } from './space.ts';

export const availabilityRepository = {
  /**
   * The free spaces of an open site for [from, to), by label, in one statement without a
   * transaction: free_spaces runs as swf_availability and returns public data only. Throws
   * PostgreSQL's no_data_found (P0002) when the site does not exist or is retired.
   */
  async freeSpaces(
    db: Db | Tx,
    siteId: string,
    from: Date,
    to: Date,
    now: Date,
    type?: SpaceType,
  ): Promise<Space[]> {
    const result = await sql<{
      id: string;
      tenant_id: string;
      site_id: string;
      label: string;
      type: SpaceType;
    }>`
      select id, tenant_id, site_id, label, type
      from free_spaces(${siteId}::uuid, ${from}::timestamptz, ${to}::timestamptz, ${now}::timestamptz, ${type ?? null}::text)`.execute(
      db,
    );
    // The lock id is staff information and not part of availability.
    return result.rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      siteId: r.site_id,
      label: r.label,
      type: r.type,
      lockDeviceId: null,
      retiredAt: null,
    }));
  },

  /**
   * Which of these spaces hold a live booking overlapping [from, to). Goes through the
   * security-definer function busy_space_ids, which sees every account's live bookings but
   * returns only space ids, so commuters learn what is taken and never by whom.
   */
  /** The ids come from our own rows (uuids), so the array literal needs no escaping. */
  async busySpaceIds(
    tx: Tx,
    spaceIds: readonly string[],
    from: Date,
    to: Date,
    now: Date,
  ): Promise<Set<string>> {
    if (spaceIds.length === 0) return new Set();
    const result = await sql<{ id: string }>`
      select busy_space_ids as id
      from busy_space_ids(${`{${spaceIds.join(',')}}`}::uuid[], ${from}::timestamptz, ${to}::timestamptz, ${now}::timestamptz)`.execute(
      tx,
    );
    return new Set(result.rows.map((r) => r.id));
  },
};
