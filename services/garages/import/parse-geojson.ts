import type { FieldKey, ImportRecord, ParsedImport, RawSpace, RawText } from './import-record.ts';
import { featureStartLines } from './json-lines.ts';
import { findJsonSyntaxError } from './json-syntax.ts';

/** Where each field lives in a feature; space fields get their `spaces[i]` path in front. */
export const GEOJSON_FIELDS = {
  ref: 'ref',
  name: 'name',
  street: 'street',
  postalCode: 'postalCode',
  city: 'city',
  lat: 'geometry.coordinates[1]',
  lon: 'geometry.coordinates[0]',
  openingHours: 'openingHours',
  label: 'label',
  type: 'type',
  lockDeviceId: 'lockDeviceId',
} as const satisfies Record<FieldKey, string>;

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a GeoJSON FeatureCollection of Point features (coordinates [lon, lat]) whose properties
 * are {ref, name, street, postalCode, city, openingHours, spaces: [{label, type, lockDeviceId}]}.
 */
export function parseGeoJson(text: string): ParsedImport {
  const parsed = emptyGeoJsonImport();
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    const error = findJsonSyntaxError(body);
    parsed.problems.push({ line: error.line, message: `not valid JSON: ${error.message}` });
    return parsed;
  }
  if (!isObject(document) || document.type !== 'FeatureCollection' || !Array.isArray(document.features)) {
    parsed.problems.push({ line: 1, message: 'expected a GeoJSON FeatureCollection with a "features" list' });
    return parsed;
  }
  const lines = featureStartLines(body);
  document.features.forEach((feature: unknown, index) => {
    const line = lines[index] ?? 1;
    const where = `features[${index}]`;
    if (!isObject(feature) || feature.type !== 'Feature') {
      parsed.unreadable++;
      parsed.problems.push({ line, where, message: 'not a GeoJSON Feature' });
      return;
    }
    parsed.records.push(featureToRecord(feature, index, line, where));
  });
  if (document.features.length === 0) {
    parsed.problems.push({ line: 1, message: 'the FeatureCollection has no features' });
  }
  return parsed;
}

export function emptyGeoJsonImport(): ParsedImport {
  return {
    format: 'geojson',
    unit: 'feature',
    records: [],
    unreadable: 0,
    problems: [],
    notices: [],
    fieldNames: GEOJSON_FIELDS,
  };
}

function featureToRecord(feature: JsonObject, index: number, line: number, where: string): ImportRecord {
  const record: ImportRecord = {
    index,
    line,
    where,
    site: {
      ref: undefined,
      name: undefined,
      street: undefined,
      postalCode: undefined,
      city: undefined,
      lat: undefined,
      lon: undefined,
      openingHours: undefined,
    },
    spaces: [],
    problems: [],
    reported: new Set(),
  };
  const report = (field: string, message: string) => {
    record.problems.push({ line, where, field, message });
    record.reported.add(field);
  };

  const geometry = feature.geometry;
  const coordinates = isObject(geometry) && geometry.type === 'Point' ? geometry.coordinates : undefined;
  if (Array.isArray(coordinates) && coordinates.length >= 2) {
    record.site.lon = coordinateValue(coordinates[0]);
    record.site.lat = coordinateValue(coordinates[1]);
  } else {
    report('geometry', 'must be a Point with coordinates [lon, lat]');
    record.reported.add(GEOJSON_FIELDS.lat).add(GEOJSON_FIELDS.lon);
  }

  const properties = feature.properties ?? {};
  if (!isObject(properties)) {
    report('properties', 'must be an object');
    return record;
  }
  const text = (source: JsonObject, name: string, field: string): RawText => {
    const value = source[name];
    if (value === undefined || value === null) return value;
    if (typeof value === 'string') return value.trim() === '' ? null : value;
    // Exports from GIS tools often store postal codes or refs as numbers; the rules still apply.
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    report(field, 'must be text');
    return undefined;
  };
  for (const key of ['ref', 'name', 'street', 'postalCode', 'city', 'openingHours'] as const) {
    record.site[key] = text(properties, key, GEOJSON_FIELDS[key]);
  }

  const spaces = properties.spaces;
  if (spaces === undefined || spaces === null) return record;
  if (!Array.isArray(spaces)) {
    report('spaces', 'must be a list');
    return record;
  }
  spaces.forEach((space: unknown, i) => {
    const path = `spaces[${i}]`;
    if (!isObject(space)) {
      report(path, 'must be an object');
      return;
    }
    const raw: RawSpace = {
      label: text(space, 'label', `${path}.label`),
      type: text(space, 'type', `${path}.type`),
      lockDeviceId: text(space, 'lockDeviceId', `${path}.lockDeviceId`),
      path,
    };
    record.spaces.push(raw);
  });
  return record;
}

function coordinateValue(value: unknown): number | string | null | undefined {
  if (typeof value === 'number' || typeof value === 'string' || value === null) return value;
  return value === undefined ? undefined : String(value);
}
