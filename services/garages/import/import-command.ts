import { readFile } from 'node:fs/promises';
import type { Config } from '../../core/config.ts';
import { connectDatabase } from '../../core/db/connect.ts';
import { MigrationFailedError, migrateToLatest } from '../../core/db/migrate.ts';
import { IMPORT_HELP, parseImportArgs, UsageError } from './import-args.ts';
import { formatReport } from './import-report.ts';
import { parseImportFile } from './parse-file.ts';
import { importSites, UnknownTenantError } from './site-import.service.ts';

export const EXIT_OK = 0;
export const EXIT_NOT_IMPORTED = 1;
export const EXIT_USAGE = 2;

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** The import command from argument list to exit code; the CLI file only wires the process to it. */
export async function runImportCommand(argv: readonly string[], config: Config, io: Output): Promise<number> {
  const usage = (message: string) => {
    io.err(`import-sites: ${message}\nRun with --help for usage.\n`);
    return EXIT_USAGE;
  };
  let args: ReturnType<typeof parseImportArgs>;
  try {
    args = parseImportArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  if (args === 'help') {
    io.out(IMPORT_HELP);
    return EXIT_OK;
  }

  let bytes: Uint8Array;
  try {
    bytes = await readFile(args.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return usage(`file not found: ${args.file}`);
    if (code === 'EISDIR') return usage(`${args.file} is a folder, not a file`);
    return usage(`cannot read ${args.file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseImportFile(bytes, args.format);

  const handle = await connectDatabase(config);
  try {
    await migrateToLatest(handle.db);
    const outcome = await importSites(handle.db, parsed, args);
    io.out(formatReport(outcome, args));
    return outcome.refused ? EXIT_NOT_IMPORTED : EXIT_OK;
  } catch (error) {
    if (error instanceof UnknownTenantError) return usage(error.message);
    const message = error instanceof MigrationFailedError || error instanceof Error ? error.message : error;
    io.err(`import-sites: the import failed and nothing was imported: ${String(message)}\n`);
    return EXIT_NOT_IMPORTED;
  } finally {
    await handle.close();
  }
}
