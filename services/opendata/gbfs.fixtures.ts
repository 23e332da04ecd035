import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The official GBFS JSON Schemas (MobilityData) in the team's shared reference folder, one
 * ajv (draft-07) per version. strict: false because the official files use keywords ajv's
 * strict mode rejects (errorMessage, array-level `required`); the schemas are taken as published.
 */
export const GBFS_SCHEMA_DIR =
  process.env.GBFS_SCHEMA_DIR ??
  join(import.meta.dirname, '..', '..', '..', 'shared', 'reference', 'gbfs-json-schema');

export function loadGbfsValidators(version: '3.0' | '3.1-RC3'): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const dir = join(GBFS_SCHEMA_DIR, `v${version}`);
  const validators = new Map<string, ValidateFunction>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    validators.set(
      file.replace(/\.json$/, ''),
      ajv.compile(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    );
  }
  return validators;
}
