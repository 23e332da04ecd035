import { describe, expect, it } from 'vitest';
import { formatProblem } from './import-record.ts';
import { parseCsv } from './parse-csv.ts';
import { parseGeoJson } from './parse-geojson.ts';
import { validateImport } from './site-import.validation.ts';

const HEADER =
  'site_ref;site_name;street;postal_code;city;lat;lon;opening_hours;space_label;space_type;lock_device_id';
const csv = (...rows: string[]) => validateImport(parseCsv([HEADER, ...rows].join('\n')));

describe('validateImport', () => {
  it('groups rows by site_ref, reads decimal commas and keeps a site without spaces', () => {
    const result = csv(
      'A;Garage A;;;;51,5;8,25;;1;STANDARD;',
      'A;Garage A;;;;51.5;8.25;;2;CARGO;lock-2',
      'B;Garage B;;;;-0,5;+8;;;;',
    );
    expect(result.problems).toEqual([]);
    expect(result.sites.map((s) => [s.ref, s.fields.lat, s.fields.lon, s.units.length])).toEqual([
      ['A', 51.5, 8.25, 2],
      ['B', -0.5, 8, 1],
    ]);
    expect(result.sites[0]?.units.flatMap((u) => u.spaces)).toEqual([
      { label: '1', type: 'STANDARD', lockDeviceId: null },
      { label: '2', type: 'CARGO', lockDeviceId: 'lock-2' },
    ]);
    expect(result.sites[1]?.units[0]?.spaces).toEqual([]);
  });

  it('applies the operator rules at their boundaries (lat ±90, lon ±180, 5-digit postal code)', () => {
    const result = csv('A;A;;59494;;90;180;;;;', 'B;B;;;;-90;-180;;;;', 'C;C;;5949;;90,0001;-180,5;;;;');
    expect(result.sites.map((s) => s.ref)).toEqual(['A', 'B']);
    expect(result.problems.map(formatProblem)).toEqual([
      'line 4: postal_code: Postal code must have 5 digits',
      'line 4: lat: Latitude must be between -90 and 90',
      'line 4: lon: Longitude must be between -180 and 180',
    ]);
  });

  it('asks for a space_label when a row names a space type or lock but no label', () => {
    const result = csv('A;A;;;;51;8;;;CARGO;');
    expect(result.problems.map(formatProblem)).toEqual(['line 2: space_label: Label is required']);
  });

  it('rejects a row whose site columns differ from the first row of that site, naming the columns', () => {
    const result = csv('A;A;Weg 1;;;51;8;;1;STANDARD;', 'A;A;Weg 2;;;51,1;8;;2;STANDARD;');
    expect(result.problems.map(formatProblem)).toEqual([
      'line 3: site_ref: site A is described differently on line 2 (street, lat)',
    ]);
    expect(result.sites[0]?.units.map((u) => u.line)).toEqual([2]);
  });

  it('compares space labels after trimming, as they are stored', () => {
    const result = csv('A;A;;;;51;8;;B1;STANDARD;', 'A;A;;;;51;8;; B1 ;CARGO;');
    expect(result.problems.map(formatProblem)).toEqual([
      'line 3: space_label: space B1 appears twice for site A (first on line 2)',
    ]);
  });

  it('does not judge GeoJSON coordinates twice when the geometry is already wrong', () => {
    const parsed = parseGeoJson(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: null, properties: { ref: 'A', name: true } }],
      }),
    );
    expect(validateImport(parsed).problems.map(formatProblem)).toEqual([
      'line 1 (features[0]): geometry: must be a Point with coordinates [lon, lat]',
      'line 1 (features[0]): name: must be text',
    ]);
  });
});
