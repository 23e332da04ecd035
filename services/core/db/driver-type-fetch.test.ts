import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adminUrl } from '../../../test/support/postgres.ts';

/**
 * In a process of its own, as the API runs: a statement_timeout of 1 ms, set for the whole
 * session at connection start, cancels postgres.js's own query for array types on every new
 * connection, which is the unhandled rejection of porsager/postgres#1192.
 */
const guard = fileURLToPath(new URL('./driver-type-fetch.ts', import.meta.url));

function run(guarded: boolean, extra = '') {
  const script = `
    import postgres from 'postgres';
    ${
      guarded
        ? `import { survivingDriverTypeFetchFailures } from ${JSON.stringify(guard)};
    survivingDriverTypeFetchFailures({ warn: (details) => console.log('logged', details.err.code) });`
        : ''
    }
    const sql = postgres(${JSON.stringify(adminUrl)}, { connection: { statement_timeout: 1 }, onnotice() {} });
    try { await sql\`select pg_sleep(0.01)\`; } catch (error) { console.log('statement failed', error.code); }
    ${extra}
    await new Promise((resolve) => setTimeout(resolve, 300));
    console.log('still running');
    await sql.end();
  `;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('postgres.js failing its own query for array types', () => {
  it('ends an unguarded process', () => {
    const result = run(false);
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('still running');
    expect(result.stderr).toContain('canceling statement due to statement timeout');
  });

  it('is logged in a guarded process, which goes on; the statement fails on its own terms', () => {
    const result = run(true);
    expect(result.stdout).toContain('logged 57014');
    expect(result.stdout).toContain('statement failed 57014');
    expect(result.stdout).toContain('still running');
    expect(result.status).toBe(0);
  });

  it('any other unhandled rejection still ends a guarded process', () => {
    const result = run(true, `Promise.reject(new Error('a bug of ours'));`);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('a bug of ours');
    expect(result.stdout).not.toContain('still running');
  });
});
