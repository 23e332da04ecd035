import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportFormat } from './import-record.ts';

/** A mistake on the command line: reported in one sentence, exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ImportArgs {
  tenantId: string;
  file: string;
  format: ImportFormat;
  partial: boolean;
  dryRun: boolean;
}

export const IMPORT_HELP = `Usage: npm run import-sites -- --tenant <town> --file <path> [--format csv|geojson] [--partial] [--dry-run]

Imports bike garages (sites) and their spaces for one town from CSV or GeoJSON.
Sites are matched by their reference (site_ref / ref) within the town: an existing site is
updated, its spaces matched by label are updated, new ones are added. Nothing is deleted;
retired sites and spaces are reported, not changed.

Options:
  --tenant <id>    the town the sites belong to (arnsberg, bad-berleburg, menden, olpe, soest,
                   suedwestfalen). Only this flag decides the town; a file cannot choose another.
  --file <path>    the file to import
  --format <f>     csv or geojson; by default from the extension (.csv, .geojson, .json)
  --partial        import the good rows and report the bad ones (default: all or nothing)
  --dry-run        check everything, against the database too, and write nothing
  -h, --help       this text

CSV: UTF-8 (in Excel: "CSV UTF-8"), ";" or "," as delimiter, a header row with the columns
  site_ref, site_name, street, postal_code, city, lat, lon, opening_hours,
  space_label, space_type, lock_device_id
  One row per space. Rows with the same site_ref form one site and must agree on the site
  columns. A row with an empty space_label describes a site without that space. lat and lon
  may use a decimal comma. site_ref, site_name, lat and lon are required columns; a column
  left out keeps the stored values, an empty cell clears the stored value. Other columns are
  ignored (with a note).
GeoJSON: a FeatureCollection of Point features, coordinates [lon, lat], with properties
  {ref, name, street, postalCode, city, openingHours, spaces: [{label, type, lockDeviceId}]}.
  A feature is imported whole or not at all.
Space types: STANDARD, E_BIKE_CHARGING, CARGO, LARGE. Every value is checked by the same
rules as the operator forms.

Whatever is imported is written in one transaction: a failure midway leaves nothing behind.

Exit codes:
  0  imported (with --dry-run: would import). With --partial this includes imports where
     bad rows were left out; they are listed.
  1  nothing imported: a row was rejected (without --partial), no row was good (with
     --partial), the file could not be read, or the database failed.
  2  usage error: bad or missing option, file not found, unknown town.

Database: DATABASE_URL when set, else the embedded database in DATA_DIR (default .data).
Pending migrations are applied first, as on server start. With the embedded database, stop
\`npm start\` first: the embedded database serves one process at a time.
`;

/** The same rule as the tenant table's check constraint, so a typo is caught before connecting. */
const TENANT_ID = /^[a-z][a-z0-9-]{1,40}$/;

/** Returns 'help' for --help; throws UsageError for anything that is not a valid command line. */
export function parseImportArgs(argv: readonly string[]): ImportArgs | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    // Node's own message is a sentence of advice after the first line; the first line says it.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split(/\.\s|\n/)[0] ?? message);
  }
  if (values.help) return 'help';
  const tenantId = values.tenant?.trim();
  if (!tenantId) throw new UsageError('--tenant is required, e.g. --tenant soest');
  if (!TENANT_ID.test(tenantId)) throw new UsageError(`--tenant "${tenantId}" is not a tenant id`);
  const file = values.file?.trim();
  if (!file) throw new UsageError('--file is required, e.g. --file garages.csv');
  return {
    tenantId,
    file,
    format: chooseFormat(file, values.format),
    partial: values.partial ?? false,
    dryRun: values['dry-run'] ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      tenant: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      partial: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}

const FORMAT_BY_EXTENSION: Record<string, ImportFormat> = {
  '.csv': 'csv',
  '.geojson': 'geojson',
  '.json': 'geojson',
};

function chooseFormat(file: string, flag: string | undefined): ImportFormat {
  if (flag !== undefined) {
    if (flag === 'csv' || flag === 'geojson') return flag;
    throw new UsageError(`--format must be csv or geojson, not "${flag}"`);
  }
  const format = FORMAT_BY_EXTENSION[extname(file).toLowerCase()];
  if (!format) {
    throw new UsageError(`cannot tell the format of ${file} from its extension; add --format csv|geojson`);
  }
  return format;
}
