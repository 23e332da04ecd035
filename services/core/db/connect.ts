import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { Database, Db } from './database.ts';
import { CLOSE_TIMEOUT_SECONDS, recyclingPool } from './recycling-pool.ts';

export type NotificationListener = (payload: string) => void;

/**
 * One handle on the database, whichever kind it is: Kysely for queries, `listen` for
 * PostgreSQL notifications (live updates), `close` to let the process exit.
 */
export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  listen(channel: string, listener: NotificationListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  /** Config's names for the same settings: processes pass their whole Config here. */
  databasePoolSize?: number;
  databasePreparedStatements?: boolean;
}

export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    return connectPostgres(
      options.databaseUrl,
      options.poolSize ?? options.databasePoolSize ?? 10,
      options.databasePreparedStatements ?? true,
    );
  }
  return connectPglite(options.dataDir ?? '.data');
}

function connectPostgres(url: string, poolSize: number, prepare: boolean): DatabaseHandle {
  // onnotice: silence "role is already a member" and similar notices from migrations.
  const options = { max: poolSize, onnotice: () => {}, connect_timeout: 10 };
  // Queries go through a pool that survives a database restart (recycling-pool.ts); LISTEN
  // has a connection of its own, which postgres.js re-establishes by itself.
  const pool = recyclingPool(() => postgres(url, options), prepare);
  const listener = postgres(url, { ...options, max: 1 });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: async () => pool }) });
  return {
    db,
    kind: 'postgres',
    async listen(channel, onNotification) {
      const subscription = await listener.listen(channel, onNotification);
      return () => subscription.unlisten();
    },
    async close() {
      await db.destroy();
      await listener.end({ timeout: CLOSE_TIMEOUT_SECONDS });
    },
  };
}

async function connectPglite(dataDir: string): Promise<DatabaseHandle> {
  // Loaded on demand: importing PGlite alone costs ~70 MB resident, which a process on
  // PostgreSQL (the firmware bridge above all) should not carry.
  const [{ PGlite }, { btree_gist }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('./pglite-dialect.ts'),
  ]);
  let pg: PGlite;
  if (dataDir.startsWith('memory://')) {
    pg = await PGlite.create({ dataDir, extensions: { btree_gist } });
  } else {
    const dir = resolve(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pg = await PGlite.create({ dataDir: dir, extensions: { btree_gist } });
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pg) });
  return {
    db,
    kind: 'pglite',
    async listen(channel, listener) {
      return pg.listen(channel, listener);
    },
    async close() {
      await db.destroy();
    },
  };
}
