/**
 * The neutral shape every import format is parsed into: one record per CSV row or GeoJSON
 * feature, with the line it starts on, so that every problem can point at the file.
 *
 * Values stay raw here (text as written, numbers possibly with a decimal comma): judging them
 * is the validator's job, so both formats are judged by the same rules.
 * `undefined` means "not given at all" (column or property missing: keep what is stored),
 * `null` means "given empty" (clear it).
 */
export type RawText = string | null | undefined;
export type RawNumber = number | string | null | undefined;

export interface RawSite {
  ref: RawText;
  name: RawText;
  street: RawText;
  postalCode: RawText;
  city: RawText;
  lat: RawNumber;
  lon: RawNumber;
  openingHours: RawText;
}

export interface RawSpace {
  label: RawText;
  type: RawText;
  lockDeviceId: RawText;
  /** Where the space sits inside its record, e.g. "spaces[1]" in GeoJSON; none in CSV. */
  path?: string;
}

export type SiteKey = keyof RawSite;
export type SpaceKey = Exclude<keyof RawSpace, 'path'>;
export type FieldKey = SiteKey | SpaceKey;

/** A problem with one record (or the whole file), printed as `line 7: lat: Latitude must be …`. */
export interface Problem {
  line: number;
  /** Extra position for formats where a line is not enough, e.g. "features[2]". */
  where?: string;
  /** The field as the file names it (column or property), e.g. "space_type", "spaces[0].type". */
  field?: string;
  message: string;
}

export interface ImportRecord {
  /** Position among all records of the file (0-based), unique even when records share a line. */
  index: number;
  line: number;
  where?: string;
  site: RawSite;
  spaces: RawSpace[];
  /** What the parser already found wrong (e.g. a missing geometry); the record is rejected. */
  problems: Problem[];
  /** Fields (as in Problem.field) those problems cover, so the validator does not judge them twice. */
  reported: Set<string>;
}

export type ImportFormat = 'csv' | 'geojson';

export interface ParsedImport {
  format: ImportFormat;
  /** What one record is called in the report. */
  unit: 'row' | 'feature';
  records: ImportRecord[];
  /** Records the parser could not read at all; they count as read and rejected. */
  unreadable: number;
  /** File-level problems and unreadable records. */
  problems: Problem[];
  /** Harmless observations, e.g. an ignored column. */
  notices: string[];
  /** How the file names each field, so that reports speak the file's language. */
  fieldNames: Record<FieldKey, string>;
}

export function recordsRead(parsed: ParsedImport): number {
  return parsed.records.length + parsed.unreadable;
}

/** The field name for a problem, with the space's path in front where the format has one. */
export function fieldLabel(
  fieldNames: Record<FieldKey, string>,
  key: FieldKey,
  space?: { path?: string | undefined },
): string {
  return space?.path ? `${space.path}.${fieldNames[key]}` : fieldNames[key];
}

export function formatProblem(problem: Problem): string {
  const where = problem.where ? ` (${problem.where})` : '';
  const field = problem.field ? `${problem.field}: ` : '';
  return `line ${problem.line}${where}: ${field}${problem.message}`;
}

/** In file order; problems of one line keep the order they were found in. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => a.problem.line - b.problem.line || a.order - b.order)
    .map((p) => p.problem);
}
