import { startPlatform } from '../../api/platform.ts';
import { loadConfigOrExit } from '../../core/config.ts';
import { MigrationFailedError } from '../../core/db/migrate.ts';
import { seedDemoData } from './seed.ts';

/** `npm run seed`: demo data into DATABASE_URL (or the embedded database). Safe to run twice. */
const config = loadConfigOrExit();
try {
  const platform = await startPlatform(config, { runWorkers: false });
  const summary = await seedDemoData(platform.database.db, platform.services);
  process.stdout.write(
    `Seeded ${summary.sites} sites with ${summary.spaces} spaces and ${summary.accounts.length} accounts.\n`,
  );
  process.stdout.write(`Demo password: ${summary.password}\n`);
  await platform.close();
} catch (error) {
  process.stderr.write(
    `${error instanceof MigrationFailedError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
