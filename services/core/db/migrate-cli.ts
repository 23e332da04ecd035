import { loadConfigOrExit } from '../config.ts';
import { connectDatabase } from './connect.ts';
import { MigrationFailedError, migrateToLatest } from './migrate.ts';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
const config = loadConfigOrExit();
const handle = await connectDatabase(config);
try {
  const results = await migrateToLatest(handle.db);
  for (const r of results) process.stdout.write(`${r.status.padEnd(8)} ${r.migrationName}\n`);
  if (results.length === 0) process.stdout.write('Database is up to date.\n');
} catch (error) {
  process.stderr.write(`${error instanceof MigrationFailedError ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
