import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/postgres.ts';

/** The real command as an operator runs it: a child process, its output and its exit code. */
let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const cli = fileURLToPath(new URL('./import-cli.ts', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('import-sites CLI', () => {
  it('exits 1 for a bad file, lists every bad row with line and reason, and imports nothing', async () => {
    const result = await run(['--tenant', 'soest', '--file', fixture('garages-bad.csv')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(1)).toEqual([
      'line 3: space_type: Type must be one of STANDARD, E_BIKE_CHARGING, CARGO, LARGE',
      'line 4: space_label: space B01 appears twice for site SO-BF (first on line 2)',
      'line 5: site_ref: site SO-BF is described differently on line 2 (site_name)',
      'line 6: postal_code: Postal code must have 5 digits',
      'line 6: lat: Latitude must be between -90 and 90',
      'line 6: lock_device_id: Lock device id may use letters, digits and _.:- (at most 64)',
      'line 8: site_ref: Reference is required: it identifies the site in later imports',
      'line 9: lat: must be a number like 51.5782 or 51,5782, not "abc"',
      'line 10: has 12 fields but the header has 11 (check the delimiter and quotes)',
      '9 rows read: 2 good, 7 rejected.',
      'Nothing was imported: 7 rows rejected (all or nothing; fix them, or use --partial to import the 2 good rows).',
    ]);
  });

  it('exits 0 and prints the summary for a good file; a second run updates nothing', async () => {
    const first = await run(['--tenant', 'soest', '--file', fixture('garages.csv')]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('4 rows read: 4 good, 0 rejected.\nImported in one transaction:\n');
    expect(first.stdout).toContain('  sites:  2 created, 0 updated, 0 unchanged\n');
    expect(first.stdout).toContain('  spaces: 3 created, 0 updated, 0 unchanged\n');

    const second = await run(['--tenant', 'soest', '--file', fixture('garages.csv')]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('  sites:  0 created, 0 updated, 2 unchanged\n');
  });

  it('exits 0 with --partial when good rows were imported, still listing the bad ones', async () => {
    const result = await run(['--tenant', 'menden', '--file', fixture('garages-bad.csv'), '--partial']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('line 6: lat: Latitude must be between -90 and 90\n');
    expect(result.stdout).toContain('Imported in one transaction (7 rows left out):\n');
    expect(result.stdout).toContain('  sites:  2 created, 0 updated, 0 unchanged\n');
  });

  it('exits 2 with a plain message for usage errors, before touching any data', async () => {
    const results = await Promise.all([
      run(['--file', fixture('garages.csv')]),
      run(['--tenant', 'soest', '--file', fixture('missing.csv')]),
      run(['--tenant', 'atlantis', '--file', fixture('garages.csv')]),
      run(['--tenant', 'soest', '--file', fixture('garages.csv'), '--colour']),
      run(['--tenant', 'soest', '--file', 'garages.txt']),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(results.map((r) => r.stderr.split('\n')[0])).toEqual([
      'import-sites: --tenant is required, e.g. --tenant soest',
      `import-sites: file not found: ${fixture('missing.csv')}`,
      'import-sites: Unknown tenant "atlantis"; known tenants: arnsberg, bad-berleburg, menden, olpe, soest, suedwestfalen',
      "import-sites: Unknown option '--colour'",
      'import-sites: cannot tell the format of garages.txt from its extension; add --format csv|geojson',
    ]);
    for (const r of results) {
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('prints the help, exit codes included, with --help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: npm run import-sites -- --tenant <town> --file <path>');
    expect(result.stdout).toContain('Exit codes:');
  });
});
