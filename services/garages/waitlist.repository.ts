import type { Tx, WaitlistEntryRow } from '../core/db/database.ts';
import type { SpaceType } from './space.ts';
import type { WaitlistEntry } from './waitlist.ts';

function waitlistRowToEntry(row: WaitlistEntryRow): WaitlistEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    siteId: row.site_id,
    accountId: row.account_id,
    spaceType: row.space_type as SpaceType,
    from: row.starts_at,
    to: row.ends_at,
    status: row.status as WaitlistEntry['status'],
    notifiedAt: row.notified_at,
    createdAt: row.created_at,
  };
}

export interface NewWaitlistEntry {
  tenantId: string;
  siteId: string;
  accountId: string;
  spaceType: SpaceType;
  from: Date;
  to: Date;
}

export const waitlistRepository = {
  /** Joining twice for the same wish returns the entry that exists. */
  async insertOrGet(tx: Tx, e: NewWaitlistEntry): Promise<WaitlistEntry> {
    const inserted = await tx
      .insertInto('waitlist_entry')
      .values({
        tenant_id: e.tenantId,
        site_id: e.siteId,
        account_id: e.accountId,
        space_type: e.spaceType,
        starts_at: e.from,
        ends_at: e.to,
      })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'site_id', 'space_type', 'starts_at', 'ends_at'])
          .where('status', '<>', 'left')
          .doNothing(),
      )
      .returningAll()
      .executeTakeFirst();
    if (inserted) return waitlistRowToEntry(inserted);
    const existing = await tx
      .selectFrom('waitlist_entry')
      .selectAll()
      .where('account_id', '=', e.accountId)
      .where('site_id', '=', e.siteId)
      .where('space_type', '=', e.spaceType)
      .where('starts_at', '=', e.from)
      .where('ends_at', '=', e.to)
      .where('status', '<>', 'left')
      .executeTakeFirstOrThrow();
    return waitlistRowToEntry(existing);
  },

  async listByAccount(tx: Tx, accountId: string): Promise<WaitlistEntry[]> {
    const rows = await tx
      .selectFrom('waitlist_entry')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('status', '<>', 'left')
      .orderBy('starts_at')
      .execute();
    return rows.map(waitlistRowToEntry);
  },

  async leave(tx: Tx, id: string): Promise<WaitlistEntry | undefined> {
    const row = await tx
      .updateTable('waitlist_entry')
      .set({ status: 'left' })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && waitlistRowToEntry(row);
  },

  /** Entries still waiting (or told before) whose wish overlaps a freed period and has not ended. */
  async findMatching(
    tx: Tx,
    match: { siteId: string; spaceType: string; from: Date; to: Date; now: Date },
  ): Promise<(WaitlistEntry & { locale: 'de' | 'en' })[]> {
    const rows = await tx
      .selectFrom('waitlist_entry')
      .innerJoin('account', 'account.id', 'waitlist_entry.account_id')
      .selectAll('waitlist_entry')
      .select('account.locale')
      .where('waitlist_entry.site_id', '=', match.siteId)
      .where('waitlist_entry.space_type', '=', match.spaceType)
      .where('waitlist_entry.status', 'in', ['waiting', 'notified'])
      .where('waitlist_entry.starts_at', '<', match.to)
      .where('waitlist_entry.ends_at', '>', match.from)
      .where('waitlist_entry.ends_at', '>', match.now)
      .orderBy('waitlist_entry.created_at')
      .execute();
    return rows.map((r) => ({ ...waitlistRowToEntry(r), locale: r.locale }));
  },

  async markNotified(tx: Tx, ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await tx
      .updateTable('waitlist_entry')
      .set({ status: 'notified', notified_at: at })
      .where('id', 'in', ids)
      .execute();
  },
};
