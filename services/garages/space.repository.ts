import type { SpaceRow, Tx } from '../core/db/database.ts';
import type { Space, SpaceInput, SpacePatch, SpaceType } from './space.ts';

export function spaceRowToSpace(row: SpaceRow): Space {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    siteId: row.site_id,
    label: row.label,
    type: row.type as SpaceType,
    lockDeviceId: row.lock_device_id,
    retiredAt: row.retired_at,
  };
}

export const spaceRepository = {
  async findByIds(tx: Tx, ids: readonly string[]): Promise<(Space | undefined)[]> {
    if (ids.length === 0) return [];
    const rows = await tx.selectFrom('space').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, spaceRowToSpace(r)]));
    return ids.map((id) => byId.get(id));
  },

  async findById(tx: Tx, id: string): Promise<Space | undefined> {
    const row = await tx.selectFrom('space').selectAll().where('id', '=', id).executeTakeFirst();
    return row && spaceRowToSpace(row);
  },

  async listBySite(tx: Tx, siteId: string, type?: SpaceType): Promise<Space[]> {
    let query = tx
      .selectFrom('space')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('retired_at', 'is', null);
    if (type) query = query.where('type', '=', type);
    return (await query.orderBy('label').execute()).map(spaceRowToSpace);
  },

  async listBySites(tx: Tx, siteIds: readonly string[], type?: SpaceType): Promise<Space[]> {
    if (siteIds.length === 0) return [];
    let query = tx
      .selectFrom('space')
      .selectAll()
      .where('site_id', 'in', siteIds)
      .where('retired_at', 'is', null);
    if (type) query = query.where('type', '=', type);
    return (await query.orderBy('site_id').orderBy('label').execute()).map(spaceRowToSpace);
  },

  /** Lock devices are registered on first use, so a space can name its lock straight away. */
  async ensureDevice(tx: Tx, tenantId: string, deviceId: string): Promise<void> {
    await tx
      .insertInto('device')
      .values({ tenant_id: tenantId, id: deviceId, kind: 'lock' })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .execute();
  },

  async insert(tx: Tx, tenantId: string, input: SpaceInput): Promise<Space> {
    if (input.lockDeviceId) await spaceRepository.ensureDevice(tx, tenantId, input.lockDeviceId);
    const row = await tx
      .insertInto('space')
      .values({
        tenant_id: tenantId,
        site_id: input.siteId,
        label: input.label,
        type: input.type,
        lock_device_id: input.lockDeviceId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return spaceRowToSpace(row);
  },

  async update(tx: Tx, space: Space, patch: SpacePatch): Promise<Space | undefined> {
    if (patch.lockDeviceId) await spaceRepository.ensureDevice(tx, space.tenantId, patch.lockDeviceId);
    const row = await tx
      .updateTable('space')
      .set({
        updated_at: new Date(),
        ...(patch.label !== undefined && { label: patch.label }),
        ...(patch.type !== undefined && { type: patch.type }),
        ...(patch.lockDeviceId !== undefined && { lock_device_id: patch.lockDeviceId }),
      })
      .where('id', '=', space.id)
      .returningAll()
      .executeTakeFirst();
    return row && spaceRowToSpace(row);
  },

  async retire(tx: Tx, id: string, at: Date): Promise<Space | undefined> {
    const row = await tx
      .updateTable('space')
      .set({ retired_at: at, updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && spaceRowToSpace(row);
  },
};
