import { dayAt, poolSlot } from '../lib/operations.js';
import { type BenchDatabase, POOL_SITE_SPACES, type Seeded } from './bench-database.ts';
import type { Iteration, Recorder } from './driver.ts';

/**
 * The database floor: a held booking inserted straight through Kysely, one statement, the
 * exclusion constraint and the booking trigger (event outbox + NOTIFY) included. No
 * transaction around it, no row-level security (superuser), no HTTP, no GraphQL: nothing the
 * API could do faster than this.
 */
export function rawInserts(
  database: BenchDatabase,
  seeded: Seeded,
  recorder: Recorder,
  now: number,
): Iteration {
  const db = database.handle.db;
  const spaces = seeded.poolSpaceIds;
  const siteOf = new Map<string, string>();
  for (const [i, id] of seeded.poolSpaceIds.entries()) {
    siteOf.set(id, seeded.poolSiteIds[Math.floor(i / POOL_SITE_SPACES)]!);
  }
  const base = dayAt(200, 0, now);
  const holdExpiresAt = new Date(now + 15 * 60_000);
  let next = 0;
  return async () => {
    const n = next++;
    const slot = poolSlot(n, spaces.length, base);
    const spaceId = spaces[slot.spaceIndex]!;
    const started = performance.now();
    let outcome = 'inserted';
    try {
      await db
        .insertInto('booking')
        .values({
          tenant_id: 'olpe',
          site_id: siteOf.get(spaceId)!,
          space_id: spaceId,
          account_id: seeded.accounts[n % seeded.accounts.length]!.id,
          starts_at: slot.from,
          ends_at: slot.to,
          status: 'held',
          hold_expires_at: holdExpiresAt,
        })
        .execute();
    } catch (error) {
      outcome = `db_error:${(error as { code?: string }).code ?? 'unknown'}`;
    }
    recorder.record('dbFloor:insert', performance.now() - started, outcome);
  };
}
