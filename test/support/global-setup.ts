import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../../services/core/db/connect.ts';
import { migrateToLatest } from '../../services/core/db/migrate.ts';
import { urlFor, withAdmin } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    runId: string;
  }
}

/**
 * Migrates a template database once per run; test files clone it (CREATE DATABASE … TEMPLATE).
 * Names carry a run id, so several runs on one machine never drop each other's databases.
 */
export default async function setup(project: TestProject) {
  const runId = randomBytes(4).toString('hex');
  const template = `swf_tpl_${runId}`;
  await withAdmin((sql) => sql.unsafe(`create database ${template}`));
  const handle = await connectDatabase({ databaseUrl: urlFor(template), poolSize: 1 });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  project.provide('templateDatabase', template);
  project.provide('runId', runId);
  return async () => {
    await withAdmin(async (sql) => {
      const ours = await sql<{ datname: string }[]>`
        select datname from pg_database where datname like ${`swf_t%${runId}%`}`;
      for (const { datname } of ours) await sql.unsafe(`drop database if exists ${datname} with (force)`);
    });
  };
}
