import { sql } from 'kysely';
import type { Db, Tx } from './db/database.ts';
import { PIPELINED_MARKER } from './db/pipeline.ts';
import { PgCode, pgErrorCode } from './errors.ts';

export type StaffRole = 'operator' | 'planner' | 'admin';
export type Role = 'anonymous' | 'commuter' | StaffRole | 'system';

/**
 * Who is acting. Staff act inside their own town only; commuters are regional and act on
 * their own rows; `system` is for background workers and sign-in, never for a request.
 */
export interface Actor {
  role: Role;
  accountId: string | null;
  tenantId: string | null;
}

export const anonymousActor: Actor = { role: 'anonymous', accountId: null, tenantId: null };
export const systemActor: Actor = { role: 'system', accountId: null, tenantId: null };

export function isStaff(
  actor: Actor,
): actor is Actor & { role: StaffRole; tenantId: string; accountId: string } {
  return (
    (actor.role === 'operator' || actor.role === 'planner' || actor.role === 'admin') && !!actor.tenantId
  );
}

/**
 * Database roles the services act as: swf_app for everything, swf_bridge (swf_app plus the
 * device secrets) for the firmware bridge, which signs commands.
 */
export type DbRole = 'swf_app' | 'swf_bridge';

/**
 * Runs `work` in one transaction as database role swf_app with the actor's identity set
 * transaction-locally, so PostgreSQL's row-level security decides what the work can see.
 * All four settings go in one statement, and that statement and `begin` travel with the
 * work's first statement in one round trip (db/pipeline.ts): nobody reads their results.
 */
export async function withActor<T>(
  db: Db,
  actor: Actor,
  work: (tx: Tx) => Promise<T>,
  options: { dbRole?: DbRole; retryDeadlocks?: boolean } = {},
): Promise<T> {
  if (!options.retryDeadlocks) return runAsActor(db, actor, work, options.dbRole);
  return retryingDeadlocks(() => runAsActor(db, actor, work, options.dbRole));
}

/** Runs `work` again when PostgreSQL aborted it as a deadlock, up to DEADLOCK_ATTEMPTS times in all. */
export async function retryingDeadlocks<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || pgErrorCode(error) !== PgCode.deadlockDetected) throw error;
    }
  }
}

/**
 * How often `retryDeadlocks` runs a transaction. Two inserts checking the same exclusion
 * constraint can each wait for the other's uncommitted row; PostgreSQL then aborts one of them.
 * Run again, it sees the other's outcome (a free space or a conflict), so a second try almost
 * always settles it. Only for work that touches nothing but the database: it runs again whole.
 */
const DEADLOCK_ATTEMPTS = 3;

function runAsActor<T>(db: Db, actor: Actor, work: (tx: Tx) => Promise<T>, dbRole?: DbRole): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`${sql.raw(PIPELINED_MARKER)} select set_config('role', ${dbRole ?? 'swf_app'}, true),
                     set_config('app.role', ${actor.role}, true),
                     set_config('app.account_id', ${actor.accountId ?? ''}, true),
                     set_config('app.tenant_id', ${actor.tenantId ?? ''}, true)`.execute(tx);
    return work(tx);
  });
}

/** Binds a database to an actor: the one way request code reaches the data. */
export type ScopedRunner = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

export function scopedRunner(db: Db, actor: Actor): ScopedRunner {
  return (work) => withActor(db, actor, work);
}
