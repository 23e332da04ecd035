import { detectDelimiter, readCsv } from './csv-reader.ts';
import type { FieldKey, ImportRecord, ParsedImport, RawSite, RawSpace } from './import-record.ts';

/** Column names of the CSV format, one row per space. */
export const CSV_COLUMNS = {
  ref: 'site_ref',
  name: 'site_name',
  street: 'street',
  postalCode: 'postal_code',
  city: 'city',
  lat: 'lat',
  lon: 'lon',
  openingHours: 'opening_hours',
  label: 'space_label',
  type: 'space_type',
  lockDeviceId: 'lock_device_id',
} as const satisfies Record<FieldKey, string>;

/** Without these a row cannot describe a site; the other columns may be left out (then: keep stored value). */
const REQUIRED_COLUMNS: readonly FieldKey[] = ['ref', 'name', 'lat', 'lon'];

/**
 * Reads the CSV format: UTF-8 (a BOM is skipped), `;` or `,` as detected from the header,
 * a header row naming the columns in any order (case and surrounding spaces do not matter).
 */
export function parseCsv(text: string): ParsedImport {
  const parsed = emptyCsvImport();
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const [header, ...rows] = readCsv(body, detectDelimiter(body));
  if (!header) {
    parsed.problems.push({ line: 1, message: 'the file is empty; expected a header row' });
    return parsed;
  }
  const columns = readHeader(header.fields, header.line, parsed);
  if (header.error) parsed.problems.push({ line: header.line, field: 'header', message: header.error });
  if (!columns || header.error) return parsed;

  for (const row of rows) {
    // Spreadsheets write empty rows as a line of delimiters; they are not rows of data.
    if (!row.error && row.fields.every((f) => f.trim() === '')) continue;
    const problem = rowShapeProblem(row, header.fields.length);
    if (problem) {
      parsed.unreadable++;
      parsed.problems.push({ line: row.line, message: problem });
      continue;
    }
    parsed.records.push(
      rowToRecord(row.fields, row.line, columns, parsed.records.length + parsed.unreadable),
    );
  }
  if (parsed.records.length + parsed.unreadable === 0) {
    parsed.problems.push({ line: header.line + 1, message: 'no rows below the header' });
  }
  return parsed;
}

export function emptyCsvImport(): ParsedImport {
  return {
    format: 'csv',
    unit: 'row',
    records: [],
    unreadable: 0,
    problems: [],
    notices: [],
    fieldNames: CSV_COLUMNS,
  };
}

type ColumnIndex = Partial<Record<FieldKey, number>>;

function readHeader(names: readonly string[], line: number, parsed: ParsedImport): ColumnIndex | undefined {
  const byName = new Map<string, FieldKey>(
    Object.entries(CSV_COLUMNS).map(([key, name]) => [name, key as FieldKey]),
  );
  const columns: ColumnIndex = {};
  const problems: string[] = [];
  names.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    const key = byName.get(name);
    if (!key) {
      // The tenant never comes from the file: a tenant column is ignored like any other extra.
      parsed.notices.push(`ignoring column "${raw.trim()}" (not part of the import format)`);
    } else if (columns[key] !== undefined) {
      problems.push(`column ${name} appears twice`);
    } else {
      columns[key] = index;
    }
  });
  const missing = REQUIRED_COLUMNS.filter((key) => columns[key] === undefined).map((k) => CSV_COLUMNS[k]);
  if (missing.length > 0) problems.push(`missing column(s) ${missing.join(', ')}`);
  for (const message of problems) parsed.problems.push({ line, field: 'header', message });
  return problems.length === 0 ? columns : undefined;
}

function rowShapeProblem(row: { fields: string[]; error?: string }, width: number): string | undefined {
  if (row.error) return row.error;
  if (row.fields.length !== width) {
    return `has ${row.fields.length} fields but the header has ${width} (check the delimiter and quotes)`;
  }
  return undefined;
}

function rowToRecord(fields: string[], line: number, columns: ColumnIndex, index: number): ImportRecord {
  const cell = (key: FieldKey): string | null | undefined => {
    const at = columns[key];
    if (at === undefined) return undefined;
    const value = fields[at] ?? '';
    return value.trim() === '' ? null : value;
  };
  const site: RawSite = {
    ref: cell('ref'),
    name: cell('name'),
    street: cell('street'),
    postalCode: cell('postalCode'),
    city: cell('city'),
    lat: cell('lat'),
    lon: cell('lon'),
    openingHours: cell('openingHours'),
  };
  const space: RawSpace = { label: cell('label'), type: cell('type'), lockDeviceId: cell('lockDeviceId') };
  // A row with an empty space_label (and nothing else about a space) describes the site alone.
  const hasSpace = [space.label, space.type, space.lockDeviceId].some((v) => v !== null && v !== undefined);
  return { index, line, site, spaces: hasSpace ? [space] : [], problems: [], reported: new Set() };
}
