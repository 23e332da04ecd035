import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';

/**
 * Tests run against the real PostgreSQL on localhost (DESIGN.md). TEST_DATABASE_URL points at
 * the server's maintenance database; every test file gets its own database cloned from a
 * migrated template, so files never see each other's rows.
 */
export const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export function urlFor(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdmin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** A fresh database cloned from the migrated template; drop it when done. */
export async function createTestDatabase(): Promise<{
  url: string;
  name: string;
  drop: () => Promise<void>;
}> {
  const name = `swf_test_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await withAdmin((sql) => sql.unsafe(`create database ${name} template ${inject('templateDatabase')}`));
  return {
    name,
    url: urlFor(name),
    drop: () =>
      withAdmin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
