import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/postgres.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'swf-startup-'));
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real entry point (`npm start`) with only the given settings. A start-up that should
 * stop but does not would serve forever: the watchdog ends it, and `code` is then null.
 */
function startApi(env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/api/main.ts'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dataDir,
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(watchdog);
      resolve({ code, stdout, stderr });
    });
  });
}

const stackFrame = /^\s+at /m;

describe('api start-up stops with a plain message', () => {
  it('a bad configuration: exit code 1, every problem listed, no stack trace', async () => {
    const result = await startApi({ PORT: 'abc', DATABASE_URL: 'mysql://x' });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration/);
    expect(result.stderr).toMatch(/^\s+- PORT: /m);
    expect(result.stderr).toMatch(/^\s+- DATABASE_URL: .*postgres/m);
    expect(result.stderr).not.toMatch(stackFrame);
  });

  it('a migration that cannot apply: exit code 1, the migration named, no stack trace, database unchanged', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    // The clone comes migrated; empty it, then leave a table in the way of the foundation migration.
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    cleanups.push(() => sql.end());
    await sql.unsafe('drop schema public cascade; create schema public; create table tenant (x int)');

    const result = await startApi({
      DATABASE_URL: database.url,
      PORT: String(40_000 + Math.floor(Math.random() * 20_000)),
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Start-up stopped: Migration 2026-11-22T0215_foundation failed: .*tenant/);
    expect(result.stderr).toMatch(/left as it was before this migration/);
    expect(result.stderr).not.toMatch(stackFrame);

    // The migration ran in one transaction: nothing of it stayed behind.
    const tables = await sql<{ tablename: string }[]>`
      select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`;
    expect(tables.map((t) => t.tablename)).toEqual(['tenant']);
    const applied = await sql<{ name: string }[]>`select name from kysely_migration`;
    expect(applied).toEqual([]);
  });
});
