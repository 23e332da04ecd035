import { loadConfigOrExit } from '../../core/config.ts';
import { runImportCommand } from './import-command.ts';

/** `npm run import-sites -- --tenant soest --file garages.csv [--partial] [--dry-run]`; see --help. */
const config = loadConfigOrExit();
process.exitCode = await runImportCommand(process.argv.slice(2), config, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
