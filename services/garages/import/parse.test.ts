import { describe, expect, it } from 'vitest';
import { detectDelimiter, readCsv } from './csv-reader.ts';
import { formatProblem } from './import-record.ts';
import { featureStartLines } from './json-lines.ts';
import { parseCsv } from './parse-csv.ts';
import { parseImportFile } from './parse-file.ts';
import { parseGeoJson } from './parse-geojson.ts';

describe('readCsv (RFC 4180)', () => {
  it('reads quoted fields, doubled quotes and delimiters inside quotes', () => {
    expect(readCsv('a,"b,c","say ""hi""",\n', ',')).toEqual([
      { line: 1, fields: ['a', 'b,c', 'say "hi"', ''] },
    ]);
  });

  it('ends records at CRLF, LF or a lone CR and numbers them by the line they start on', () => {
    const text = 'h1;h2\r\n1;"two\r\nlines"\r\n3;4\n5;6\r7;8';
    expect(readCsv(text, ';')).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['1', 'two\r\nlines'] },
      { line: 4, fields: ['3', '4'] },
      { line: 5, fields: ['5', '6'] },
      { line: 6, fields: ['7', '8'] },
    ]);
  });

  it('skips blank lines and does not make a record of a trailing line break', () => {
    expect(readCsv('a\n\nb\n', ',')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 3, fields: ['b'] },
    ]);
  });

  it('marks a quoted field that never ends, and text after a closing quote', () => {
    expect(readCsv('a,"open\nstill open', ',')).toEqual([
      { line: 1, fields: ['a', 'open\nstill open'], error: 'the quoted field starting on line 1 never ends' },
    ]);
    expect(readCsv('"x"y,z', ',')[0]?.error).toBe('text after the closing quote of field 1');
  });

  it('detects the delimiter from the header, ignoring quoted ones', () => {
    expect(detectDelimiter('a;b;c\n1,5;2,5;3')).toBe(';');
    expect(detectDelimiter('a,b,c\n1;2;3')).toBe(',');
    expect(detectDelimiter('"a;b;c",d,e')).toBe(',');
  });
});

describe('parseCsv', () => {
  it('refuses a header without the required columns, naming them', () => {
    const parsed = parseCsv('site_ref;name;lat\nX;Y;51\n');
    expect(parsed.problems.map(formatProblem)).toEqual(['line 1: header: missing column(s) site_name, lon']);
    expect(parsed.notices).toEqual(['ignoring column "name" (not part of the import format)']);
    expect(parsed.records).toEqual([]);
  });

  it('accepts header names in any case and order and treats empty cells as empty', () => {
    const parsed = parseCsv('\uFEFF LAT ,Lon,Site_Ref,site_name,space_label\n51.5,8.1,X,Name,\n');
    expect(parsed.records).toHaveLength(1);
    expect(parsed.records[0]).toMatchObject({
      line: 2,
      site: { ref: 'X', name: 'Name', lat: '51.5', lon: '8.1', street: undefined },
      spaces: [],
    });
  });

  it('says so when there are no rows', () => {
    expect(parseCsv('site_ref,site_name,lat,lon\n').problems.map(formatProblem)).toEqual([
      'line 2: no rows below the header',
    ]);
  });

  it('refuses bytes that are not UTF-8 (Excel\'s default "CSV" is Windows-1252)', () => {
    const latin1 = Buffer.from('site_ref,site_name,lat,lon\nX,Stra\xdfe,51,8\n', 'latin1');
    expect(parseImportFile(latin1, 'csv').problems.map(formatProblem)).toEqual([
      'line 2: the file is not UTF-8; save it as "CSV UTF-8" (Excel) or with UTF-8 encoding',
    ]);
  });
});

describe('GeoJSON positions', () => {
  it('finds the line each feature starts on, undisturbed by brackets inside strings', () => {
    const text = [
      '{ "name": "a [b] {c}", "bbox": [1, 2],',
      '  "features": [',
      '    { "type": "Feature", "properties": { "name": "\\"}]" } },',
      '',
      '    {',
      '      "type": "Feature" }, { "type": "Feature" }',
      '  ] }',
    ].join('\n');
    expect(featureStartLines(text)).toEqual([3, 5, 6]);
    expect(featureStartLines('{"features":[{},{}]}')).toEqual([1, 1]);
  });

  it('points at the line of a JSON syntax error', () => {
    const problems = (text: string) => parseGeoJson(text).problems.map(formatProblem);
    expect(problems('{\n  "type": "FeatureCollection",\n  "features": [,]\n}')).toEqual([
      'line 3: not valid JSON: unexpected ",", expected a value',
    ]);
    expect(
      problems('{\n  "features": [\n    { "type": "Feature" }\n    { "type": "Feature" }\n  ]\n}'),
    ).toEqual(['line 4: not valid JSON: unexpected "{", expected "," or "]"']);
    expect(problems('{ "a": "b\n" }')).toEqual([
      'line 1: not valid JSON: line break or control character inside a string',
    ]);
    expect(problems('{ "a": [1, 2]')).toEqual([
      'line 1: not valid JSON: unexpected end of file, expected "," or "}"',
    ]);
    expect(problems("{ 'a': 1 }")).toEqual([
      'line 1: not valid JSON: unexpected "\'", expected a property name in double quotes',
    ]);
  });

  it('refuses a document that is not a FeatureCollection', () => {
    expect(parseGeoJson('{"type": "Feature"}').problems.map(formatProblem)).toEqual([
      'line 1: expected a GeoJSON FeatureCollection with a "features" list',
    ]);
  });
});
