import { type SelectQueryBuilder, sql } from 'kysely';

/**
 * The paged lists that bookings, vehicle reservations and trips share: a person's own records
 * newest first, and a town's records in a period oldest first. `id` breaks ties, so a page
 * boundary never repeats or skips a row. The column is one of the table's time columns.
 */
export interface Page {
  limit: number;
  offset: number;
}

type TimeColumn = 'starts_at' | 'requested_at';

export function ownRecordsPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  accountId: string,
  newestFirstBy: TimeColumn,
  page: Page,
): SelectQueryBuilder<DB, TB, O> {
  return query
    .where(sql<boolean>`account_id = ${accountId}`)
    .orderBy(sql`${sql.ref(newestFirstBy)} desc`)
    .orderBy(sql`id`)
    .limit(page.limit)
    .offset(page.offset);
}

/**
 * A town's records in [from, to): a period record (starts_at, ends_at) when it overlaps the
 * window, an event (requested_at) when it happened in it.
 */
export function townRecordsPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  tenantId: string,
  window: { from: Date; to: Date; by: TimeColumn },
  page: Page,
): SelectQueryBuilder<DB, TB, O> {
  const inWindow =
    window.by === 'starts_at'
      ? sql<boolean>`starts_at < ${window.to} and ends_at > ${window.from}`
      : sql<boolean>`requested_at >= ${window.from} and requested_at < ${window.to}`;
  return query
    .where(sql<boolean>`tenant_id = ${tenantId}`)
    .where(inWindow)
    .orderBy(sql`${sql.ref(window.by)}`)
    .orderBy(sql`id`)
    .limit(page.limit)
    .offset(page.offset);
}
