import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/postgres.ts';
import { connectDatabase, type DatabaseHandle } from '../../core/db/connect.ts';
import type { Db } from '../../core/db/database.ts';
import { PgCode, pgErrorCode } from '../../core/errors.ts';
import { systemActor, withActor } from '../../core/tenancy.ts';
import { siteRepository } from '../site.repository.ts';
import { spaceRepository } from '../space.repository.ts';
import { formatProblem, type ImportFormat } from './import-record.ts';
import { parseCsv } from './parse-csv.ts';
import { parseImportFile } from './parse-file.ts';
import { siteImportRepository } from './site-import.repository.ts';
import { type ImportOptions, importSites, UnknownTenantError } from './site-import.service.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: DatabaseHandle;
let db: Db;

// A database per test: imports are about what ends up stored, so no test may see another's rows.
beforeEach(async () => {
  database = await createTestDatabase();
  handle = await connectDatabase({ databaseUrl: database.url, poolSize: 4 });
  db = handle.db;
});
afterEach(async () => {
  await handle?.close();
  await database?.drop();
});

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const formatOf = (name: string): ImportFormat => (name.endsWith('.csv') ? 'csv' : 'geojson');

function importFixture(name: string, options: Partial<ImportOptions> = {}) {
  return importSites(db, parseImportFile(fixture(name), formatOf(name)), { tenantId: 'soest', ...options });
}
function importCsv(text: string, options: Partial<ImportOptions> = {}) {
  return importSites(db, parseCsv(text), { tenantId: 'soest', ...options });
}

/** Read as the connecting superuser, past row-level security: what is really stored. */
async function stored() {
  const sites = await db
    .selectFrom('site')
    .select([
      'tenant_id',
      'external_ref',
      'name',
      'street',
      'postal_code',
      'city',
      'lat',
      'lon',
      'opening_hours',
    ])
    .orderBy('tenant_id')
    .orderBy('external_ref')
    .execute();
  const spaces = await db
    .selectFrom('space')
    .innerJoin('site', 'site.id', 'space.site_id')
    .select(['space.tenant_id', 'site.external_ref', 'space.label', 'space.type', 'space.lock_device_id'])
    .orderBy('space.tenant_id')
    .orderBy('site.external_ref')
    .orderBy('space.label')
    .execute();
  const devices = await db.selectFrom('device').select(['tenant_id', 'id']).orderBy('id').execute();
  return { sites, spaces, devices };
}

const HEADER =
  'site_ref,site_name,street,postal_code,city,lat,lon,opening_hours,space_label,space_type,lock_device_id';

describe('happy paths', () => {
  it('imports a CSV file into the tenant from the options, with space types and lock ids', async () => {
    const outcome = await importFixture('garages.csv');

    expect(outcome).toMatchObject({ read: 4, accepted: 4, rejected: 0, refused: false, problems: [] });
    expect(outcome.sites).toEqual({ create: 2, update: 0, unchanged: 0 });
    expect(outcome.spaces).toEqual({ create: 3, update: 0, unchanged: 0 });
    const { sites, spaces, devices } = await stored();
    expect(sites).toEqual([
      {
        tenant_id: 'soest',
        external_ref: 'SO-BF',
        name: 'Fahrradparkhaus Bahnhof Soest',
        street: 'Bahnhofsplatz 1',
        postal_code: '59494',
        city: 'Soest',
        lat: 51.5779,
        lon: 8.108,
        opening_hours: '24/7',
      },
      {
        tenant_id: 'soest',
        external_ref: 'SO-MP',
        name: 'Radbox Markt, Nord',
        street: 'Markt 1',
        postal_code: '59494',
        city: 'Soest',
        lat: 51.5713,
        lon: 8.1064,
        opening_hours: 'Mo-Fr 06:00-22:00',
      },
    ]);
    expect(spaces).toEqual([
      {
        tenant_id: 'soest',
        external_ref: 'SO-BF',
        label: 'B01',
        type: 'STANDARD',
        lock_device_id: 'soest-bf-b01',
      },
      {
        tenant_id: 'soest',
        external_ref: 'SO-BF',
        label: 'B02',
        type: 'E_BIKE_CHARGING',
        lock_device_id: 'soest-bf-b02',
      },
      { tenant_id: 'soest', external_ref: 'SO-BF', label: 'B03', type: 'CARGO', lock_device_id: null },
    ]);
    expect(devices).toEqual([
      { tenant_id: 'soest', id: 'soest-bf-b01' },
      { tenant_id: 'soest', id: 'soest-bf-b02' },
    ]);
  });

  it('reads what German Excel writes: BOM, semicolons, CRLF, decimal commas, quoted line breaks', async () => {
    const outcome = await importFixture('garages-excel.csv', { tenantId: 'arnsberg' });

    // The last line is a row of empty cells, as Excel leaves them: not a row of data.
    expect(outcome).toMatchObject({ read: 4, accepted: 4, refused: false, problems: [] });
    const { sites, spaces } = await stored();
    expect(sites.map((s) => [s.external_ref, s.name, s.street, s.lat, s.lon, s.opening_hours])).toEqual([
      ['AR-HB', 'Boxen "Hauptbahnhof"\r\nGleis 1', 'Clemens-August-Straße 1', 51.3975, 8.0647, '24/7'],
      ['AR-NE', 'Radstation Neheim', 'Möhnestraße 5', 51.4503, 7.9671, 'Mo-Sa 06:00-21:00; Su 08:00-20:00'],
    ]);
    expect(spaces.map((s) => `${s.tenant_id}/${s.external_ref}/${s.label}/${s.type}`)).toEqual([
      'arnsberg/AR-HB/H1/CARGO',
      'arnsberg/AR-HB/H2/STANDARD',
      'arnsberg/AR-NE/N1/STANDARD',
      'arnsberg/AR-NE/N2/LARGE',
    ]);
  });

  it('imports a GeoJSON FeatureCollection ([lon, lat]) with spaces', async () => {
    const outcome = await importFixture('garages.geojson');

    expect(outcome).toMatchObject({ unit: 'feature', read: 2, accepted: 2, refused: false, problems: [] });
    const { sites, spaces } = await stored();
    expect(sites.map((s) => [s.tenant_id, s.external_ref, s.name, s.postal_code, s.lat, s.lon])).toEqual([
      ['soest', 'SO-BF', 'Fahrradparkhaus Bahnhof Soest', '59494', 51.5779, 8.108],
      // A numeric postal code, as GIS exports write it, is read as text and checked by the same rule.
      ['soest', 'SO-MP', 'Radbox Markt {Nord}', '59494', 51.5713, 8.1064],
    ]);
    expect(spaces.map((s) => [s.external_ref, s.label, s.type, s.lock_device_id])).toEqual([
      ['SO-BF', 'B01', 'STANDARD', 'soest-bf-b01'],
      ['SO-BF', 'B02', 'E_BIKE_CHARGING', 'soest-bf-b02'],
    ]);
  });
});

describe('bad rows', () => {
  const badCsvReport = [
    'line 3: space_type: Type must be one of STANDARD, E_BIKE_CHARGING, CARGO, LARGE',
    'line 4: space_label: space B01 appears twice for site SO-BF (first on line 2)',
    'line 5: site_ref: site SO-BF is described differently on line 2 (site_name)',
    'line 6: postal_code: Postal code must have 5 digits',
    'line 6: lat: Latitude must be between -90 and 90',
    'line 6: lock_device_id: Lock device id may use letters, digits and _.:- (at most 64)',
    'line 8: site_ref: Reference is required: it identifies the site in later imports',
    'line 9: lat: must be a number like 51.5782 or 51,5782, not "abc"',
    'line 10: has 12 fields but the header has 11 (check the delimiter and quotes)',
  ];

  it('reports every bad CSV row with its line and reason and imports nothing by default', async () => {
    const outcome = await importFixture('garages-bad.csv');

    expect(outcome.problems.map(formatProblem)).toEqual(badCsvReport);
    expect(outcome).toMatchObject({ read: 9, accepted: 2, rejected: 7, refused: true });
    expect(await stored()).toEqual({ sites: [], spaces: [], devices: [] });
  });

  it('with partial, imports exactly the good rows and reports the bad ones', async () => {
    const outcome = await importFixture('garages-bad.csv', { partial: true });

    expect(outcome.problems.map(formatProblem)).toEqual(badCsvReport);
    expect(outcome).toMatchObject({ read: 9, accepted: 2, rejected: 7, refused: false });
    const { sites, spaces } = await stored();
    expect(sites.map((s) => [s.external_ref, s.name])).toEqual([
      ['SO-BF', 'Fahrradparkhaus Bahnhof Soest'],
      ['SO-MP', 'Radbox Markt'],
    ]);
    expect(spaces.map((s) => [s.external_ref, s.label, s.type])).toEqual([
      ['SO-BF', 'B01', 'STANDARD'],
      ['SO-MP', 'M1', 'STANDARD'],
    ]);
  });

  it('reports bad GeoJSON features with index and starting line; partial imports the good feature', async () => {
    const outcome = await importFixture('garages-bad.geojson', { partial: true });

    expect(outcome.problems.map(formatProblem)).toEqual([
      'line 14 (features[1]): geometry.coordinates[1]: Latitude must be between -90 and 90',
      'line 14 (features[1]): spaces[1].type: Type must be one of STANDARD, E_BIKE_CHARGING, CARGO, LARGE',
      'line 26 (features[2]): geometry: must be a Point with coordinates [lon, lat]',
      'line 31 (features[3]): not a GeoJSON Feature',
      'line 32 (features[4]): spaces[1].label: space M1 appears twice for site SO-MP (first as spaces[0].label)',
    ]);
    expect(outcome).toMatchObject({ read: 5, accepted: 1, rejected: 4, refused: false });
    // A feature is taken whole or not at all: SO-XX's good space X1 is not imported either.
    const { sites, spaces } = await stored();
    expect(sites.map((s) => s.external_ref)).toEqual(['SO-BF']);
    expect(spaces.map((s) => s.label)).toEqual(['B01']);
  });

  it('with partial but no good row, imports nothing and says so', async () => {
    const outcome = await importCsv(`${HEADER}\nSO-1,,,,,51.5,8.1,,,,\n`, { partial: true });

    expect(outcome.problems.map(formatProblem)).toEqual(['line 2: site_name: Name is required']);
    expect(outcome).toMatchObject({ read: 1, accepted: 0, refused: true });
    expect((await stored()).sites).toEqual([]);
  });

  it('refuses an unknown tenant before anything else', async () => {
    await expect(importFixture('garages.csv', { tenantId: 'atlantis' })).rejects.toBeInstanceOf(
      UnknownTenantError,
    );
  });
});

describe('re-import', () => {
  it('updates existing sites and spaces by reference and label instead of duplicating them', async () => {
    await importFixture('garages.csv');
    const again = await importFixture('garages.csv');
    expect(again.sites).toEqual({ create: 0, update: 0, unchanged: 2 });
    expect(again.spaces).toEqual({ create: 0, update: 0, unchanged: 3 });

    const changed = await importCsv(
      [
        HEADER,
        'SO-BF,Fahrradparkhaus Bahnhof Soest,Bahnhofsplatz 2,59494,Soest,51.5779,8.1080,24/7,B03,LARGE,soest-bf-b03',
        'SO-BF,Fahrradparkhaus Bahnhof Soest,Bahnhofsplatz 2,59494,Soest,51.5779,8.1080,24/7,B04,CARGO,soest-bf-b04',
        'SO-NEU,Radboxen Ulricher Tor,,,Soest,"51,5741","8,1002",,U1,STANDARD,',
      ].join('\r\n'),
    );
    expect(changed.sites).toEqual({ create: 1, update: 1, unchanged: 0 });
    expect(changed.spaces).toEqual({ create: 2, update: 1, unchanged: 0 });

    const { sites, spaces } = await stored();
    expect(sites.map((s) => [s.external_ref, s.street, s.lat])).toEqual([
      ['SO-BF', 'Bahnhofsplatz 2', 51.5779],
      ['SO-MP', 'Markt 1', 51.5713],
      ['SO-NEU', null, 51.5741],
    ]);
    // Nothing is deleted: B01 and B02 are not in the second file and stay as they were.
    expect(spaces.map((s) => [s.external_ref, s.label, s.type, s.lock_device_id])).toEqual([
      ['SO-BF', 'B01', 'STANDARD', 'soest-bf-b01'],
      ['SO-BF', 'B02', 'E_BIKE_CHARGING', 'soest-bf-b02'],
      ['SO-BF', 'B03', 'LARGE', 'soest-bf-b03'],
      ['SO-BF', 'B04', 'CARGO', 'soest-bf-b04'],
      ['SO-NEU', 'U1', 'STANDARD', null],
    ]);
  });

  it('keeps stored values of a column the file leaves out, and clears them for an empty cell', async () => {
    await importFixture('garages.csv');
    const outcome = await importCsv(
      [
        'site_ref,site_name,lat,lon,city,space_label,space_type',
        'SO-BF,Fahrradparkhaus Bahnhof Soest,51.5779,8.108,,B01,STANDARD',
      ].join('\n'),
    );
    expect(outcome.sites).toEqual({ create: 0, update: 1, unchanged: 0 });
    expect(outcome.spaces).toEqual({ create: 0, update: 0, unchanged: 1 });
    const { sites, spaces } = await stored();
    expect(sites[0]).toMatchObject({ external_ref: 'SO-BF', street: 'Bahnhofsplatz 1', city: null });
    expect(spaces[0]).toMatchObject({ label: 'B01', lock_device_id: 'soest-bf-b01' });
  });

  it('refuses rows for retired sites and spaces instead of changing them', async () => {
    await importFixture('garages.csv');
    const [mp] = await db.selectFrom('site').select('id').where('external_ref', '=', 'SO-MP').execute();
    const [b02] = await db.selectFrom('space').select('id').where('label', '=', 'B02').execute();
    await withActor(db, systemActor, async (tx) => {
      await siteRepository.retire(tx, mp!.id, new Date());
      await spaceRepository.retire(tx, b02!.id, new Date());
    });

    const outcome = await importFixture('garages.csv');
    expect(outcome.problems.map(formatProblem)).toEqual([
      'line 3: space_label: space B02 of site SO-BF is retired; an import does not change retired spaces',
      'line 5: site_ref: site SO-MP is retired; an import does not change retired sites',
    ]);
    expect(outcome).toMatchObject({ read: 4, accepted: 2, rejected: 2, refused: true });
  });
});

describe('dry run and transactions', () => {
  it('dry run checks and counts against the database but writes nothing', async () => {
    const outcome = await importFixture('garages.csv', { dryRun: true });

    expect(outcome).toMatchObject({ refused: false, dryRun: true, accepted: 4 });
    expect(outcome.sites).toEqual({ create: 2, update: 0, unchanged: 0 });
    expect(await stored()).toEqual({ sites: [], spaces: [], devices: [] });
  });

  it('a failure midway leaves nothing: all writes share one transaction', async () => {
    // The database refuses the last space, after the first site and its spaces were written.
    await sql`
      create function refuse_boom() returns trigger language plpgsql as $$
      begin
        if new.label = 'BOOM' then raise exception 'refusing space BOOM'; end if;
        return new;
      end $$;
      create trigger refuse_boom before insert on space for each row execute function refuse_boom();
    `.execute(db);
    const file = `${HEADER}\nSO-1,Erste,,,,51.5,8.1,,A1,STANDARD,lock-a1\nSO-2,Zweite,,,,51.6,8.2,,BOOM,STANDARD,\n`;

    await expect(importCsv(file)).rejects.toThrow('refusing space BOOM');
    expect(await stored()).toEqual({ sites: [], spaces: [], devices: [] });
  });
});

describe('tenancy', () => {
  it('takes the tenant from the options only: a tenant column in the file is ignored', async () => {
    const outcome = await importFixture('garages-other-tenant.csv');

    expect(outcome.notices).toEqual(['ignoring column "tenant" (not part of the import format)']);
    const { sites, spaces } = await stored();
    expect(sites.map((s) => [s.tenant_id, s.external_ref])).toEqual([['soest', 'SHARED-1']]);
    expect(spaces.map((s) => [s.tenant_id, s.label])).toEqual([['soest', 'G1']]);
  });

  it("never matches another tenant's site with the same reference", async () => {
    await withActor(db, systemActor, (tx) =>
      siteRepository.insert(tx, {
        tenantId: 'arnsberg',
        name: 'Arnsberger Box',
        lat: 51.4,
        lon: 8.06,
        externalRef: 'SHARED-1',
      }),
    );
    const outcome = await importFixture('garages-other-tenant.csv');

    expect(outcome.sites).toEqual({ create: 1, update: 0, unchanged: 0 });
    const { sites } = await stored();
    expect(sites.map((s) => [s.tenant_id, s.external_ref, s.name])).toEqual([
      ['arnsberg', 'SHARED-1', 'Arnsberger Box'],
      ['soest', 'SHARED-1', 'Radbox Grenzfall'],
    ]);
  });

  it("row-level security confines the import's admin actor to its tenant", async () => {
    await withActor(db, systemActor, (tx) =>
      siteRepository.insert(tx, {
        tenantId: 'arnsberg',
        name: 'Fremd',
        lat: 51.4,
        lon: 8.06,
        externalRef: 'A-1',
      }),
    );
    const soestAdmin = { role: 'admin' as const, tenantId: 'soest', accountId: null };

    // Even asked for another tenant's refs, the lookup sees nothing of it.
    const seen = await withActor(db, soestAdmin, (tx) =>
      siteImportRepository.lockSitesByRefs(tx, 'arnsberg', ['A-1']),
    );
    expect(seen).toEqual([]);
    const error = await withActor(db, soestAdmin, (tx) =>
      siteRepository.insert(tx, { tenantId: 'arnsberg', name: 'Eingeschleust', lat: 51.4, lon: 8.06 }),
    ).catch((e: unknown) => e);
    expect(pgErrorCode(error)).toBe(PgCode.insufficientPrivilege);
    // The same actor may write its own tenant's sites, spaces and devices.
    await withActor(db, soestAdmin, async (tx) => {
      const site = await siteRepository.insert(tx, { tenantId: 'soest', name: 'Eigen', lat: 51.5, lon: 8.1 });
      await spaceRepository.insert(tx, 'soest', {
        siteId: site.id,
        label: 'E1',
        type: 'STANDARD',
        lockDeviceId: 'eigen-e1',
      });
    });
    expect((await stored()).spaces).toEqual([
      { tenant_id: 'soest', external_ref: null, label: 'E1', type: 'STANDARD', lock_device_id: 'eigen-e1' },
    ]);
  });
});
