import type { z } from 'zod';
import { siteInputSchema, spaceInputSchema } from '../inventory.validation.ts';
import type {
  FieldKey,
  ImportRecord,
  ParsedImport,
  Problem,
  RawNumber,
  RawSpace,
  SiteKey,
} from './import-record.ts';
import { fieldLabel } from './import-record.ts';

/**
 * Judges parsed records by the very zod rules the GraphQL mutations use (siteInputSchema,
 * spaceInputSchema), so an accepted row is one an operator could have typed in, and groups
 * the accepted records into sites by their reference.
 *
 * A record (CSV row, GeoJSON feature) is accepted whole or rejected whole: half a feature
 * would be a different garage than the one described.
 */

export type SiteFields = Omit<z.output<typeof siteInputSchema>, 'externalRef'>;
export type ImportSpace = z.output<typeof spaceInputSchema> & { path?: string | undefined };

/** An accepted record: where it is and the spaces it adds. */
export interface ImportUnit {
  index: number;
  line: number;
  where?: string | undefined;
  spaces: ImportSpace[];
}

export interface ImportSite {
  ref: string;
  fields: SiteFields;
  units: ImportUnit[];
}

export interface ValidatedImport {
  sites: ImportSite[];
  /** File-level problems, unreadable records and every problem of a rejected record. */
  problems: Problem[];
}

const COMPARED_SITE_FIELDS = ['name', 'street', 'postalCode', 'city', 'lat', 'lon', 'openingHours'] as const;

export function validateImport(parsed: ParsedImport): ValidatedImport {
  const problems: Problem[] = [...parsed.problems];
  const sites = new Map<string, ImportSite>();
  /** The first valid description of each site, which later records of that site must match. */
  const described = new Map<string, Description>();
  /** Per site, where each space label first appeared. */
  const labels = new Map<string, Map<string, FirstLabel>>();

  for (const record of parsed.records) {
    const found: Problem[] = [...record.problems];
    const add: Report = (field, message) =>
      found.push({ line: record.line, ...(record.where && { where: record.where }), field, message });

    const site = validateSite(record, parsed.fieldNames, add);
    const spaces = record.spaces
      .map((raw) => validateSpace(raw, record, parsed.fieldNames, add))
      .filter((space) => space !== undefined);
    if (site) {
      checkSameDescription(site, record, described, parsed.fieldNames, add);
      const seen = labels.get(site.ref) ?? new Map<string, FirstLabel>();
      labels.set(site.ref, seen);
      checkLabelsOnce(site.ref, record, seen, parsed.fieldNames, add);
    }

    if (found.length > 0 || !site) {
      problems.push(...found);
      continue;
    }
    const entry = sites.get(site.ref) ?? { ref: site.ref, fields: site.fields, units: [] };
    sites.set(site.ref, entry);
    entry.units.push({ index: record.index, line: record.line, where: record.where, spaces });
  }
  return { sites: [...sites.values()], problems };
}

interface Description {
  fields: SiteFields;
  line: number;
}

interface FirstLabel {
  index: number;
  line: number;
  field: string;
}

/** Rows of one site repeat its columns; a row that tells a different story is refused, not merged. */
function checkSameDescription(
  site: { ref: string; fields: SiteFields },
  record: ImportRecord,
  described: Map<string, Description>,
  fieldNames: Record<FieldKey, string>,
  add: Report,
): void {
  const first = described.get(site.ref);
  if (!first) {
    described.set(site.ref, { fields: site.fields, line: record.line });
    return;
  }
  const differing = COMPARED_SITE_FIELDS.filter(
    (key) => (first.fields[key] ?? null) !== (site.fields[key] ?? null),
  );
  if (differing.length === 0) return;
  const names = differing.map((key) => fieldNames[key]).join(', ');
  add(fieldNames.ref, `site ${site.ref} is described differently on line ${first.line} (${names})`);
}

/** Labels are unique per site (as stored: trimmed); the first occurrence wins. */
function checkLabelsOnce(
  ref: string,
  record: ImportRecord,
  seen: Map<string, FirstLabel>,
  fieldNames: Record<FieldKey, string>,
  add: Report,
): void {
  for (const raw of record.spaces) {
    const text = raw.label?.trim();
    if (!text) continue;
    const field = fieldLabel(fieldNames, 'label', raw);
    const first = seen.get(text);
    if (!first) {
      seen.set(text, { index: record.index, line: record.line, field });
      continue;
    }
    const at = first.index === record.index ? `as ${first.field}` : `on line ${first.line}`;
    add(field, `space ${text} appears twice for site ${ref} (first ${at})`);
  }
}

type Report = (field: string, message: string) => void;

function validateSite(
  record: ImportRecord,
  fieldNames: Record<FieldKey, string>,
  add: Report,
): { ref: string; fields: SiteFields } | undefined {
  const raw = record.site;
  const judged = (key: SiteKey) => !record.reported.has(fieldNames[key]);
  let valid = true;
  const report = (key: SiteKey, message: string) => {
    valid = false;
    if (judged(key)) add(fieldNames[key], message);
  };

  const lat = toNumber(raw.lat, 'Latitude');
  const lon = toNumber(raw.lon, 'Longitude');
  if (typeof lat === 'string') report('lat', lat);
  if (typeof lon === 'string') report('lon', lon);
  const ref = raw.ref?.trim();
  if (!ref) report('ref', 'Reference is required: it identifies the site in later imports');

  const result = siteInputSchema.safeParse({
    // An absent name is judged like an empty one, so the operator sees the rule's own message.
    name: raw.name ?? '',
    street: raw.street,
    postalCode: raw.postalCode,
    city: raw.city,
    lat: typeof lat === 'number' ? lat : 0,
    lon: typeof lon === 'number' ? lon : 0,
    openingHours: raw.openingHours,
    externalRef: ref,
  });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const zodKey = String(issue.path[0]);
      const key = (zodKey === 'externalRef' ? 'ref' : zodKey) as SiteKey;
      if ((key === 'lat' && typeof lat === 'string') || (key === 'lon' && typeof lon === 'string')) continue;
      report(key, issue.message);
    }
  }
  if (!valid || !result.success || !result.data.externalRef) return undefined;
  const { externalRef, ...fields } = result.data;
  return { ref: externalRef, fields };
}

function validateSpace(
  raw: RawSpace,
  record: ImportRecord,
  fieldNames: Record<FieldKey, string>,
  add: Report,
): ImportSpace | undefined {
  const result = spaceInputSchema.safeParse({
    label: raw.label ?? '',
    type: raw.type?.trim() ?? '',
    lockDeviceId: raw.lockDeviceId,
  });
  if (result.success) return { ...result.data, path: raw.path };
  for (const issue of result.error.issues) {
    const field = fieldLabel(fieldNames, String(issue.path[0]) as FieldKey, raw);
    if (!record.reported.has(field)) add(field, issue.message);
  }
  return undefined;
}

/** Spreadsheets in Germany write 51,5782; both that and 51.5782 are read. */
const DECIMAL_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;

/** A number, or the message saying why there is none. */
function toNumber(raw: RawNumber, what: string): number | string {
  if (typeof raw === 'number') return raw;
  if (raw === null || raw === undefined || raw.trim() === '') return `${what} is required`;
  const text = raw.trim();
  if (!DECIMAL_NUMBER.test(text)) return `must be a number like 51.5782 or 51,5782, not "${text}"`;
  return Number(text.replace(',', '.'));
}
