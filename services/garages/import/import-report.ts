import { formatProblem } from './import-record.ts';
import type { ActionCounts, ImportOutcome } from './site-import.service.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const counts = (c: ActionCounts) => `${c.create} created, ${c.update} updated, ${c.unchanged} unchanged`;

/** The text an operator reads after an import: notes, one line per problem, then the summary. */
export function formatReport(outcome: ImportOutcome, source: { file: string; tenantId: string }): string {
  const { unit } = outcome;
  const lines = [`Import of ${source.file} into tenant ${source.tenantId}`];
  for (const notice of outcome.notices) lines.push(`note: ${notice}`);
  for (const problem of outcome.problems) lines.push(formatProblem(problem));
  lines.push(`${plural(outcome.read, unit)} read: ${outcome.accepted} good, ${outcome.rejected} rejected.`);

  if (outcome.refused) {
    const why =
      outcome.accepted === 0
        ? `no ${unit} could be imported`
        : `${plural(outcome.rejected, unit)} rejected (all or nothing; fix them, or use --partial to import the ${plural(outcome.accepted, `good ${unit}`)})`;
    lines.push(`Nothing ${outcome.dryRun ? 'would be' : 'was'} imported: ${why}.`);
    return `${lines.join('\n')}\n`;
  }
  const leftOut = outcome.rejected > 0 ? ` (${plural(outcome.rejected, unit)} left out)` : '';
  lines.push(
    outcome.dryRun
      ? `Dry run, nothing written. The import would make${leftOut}:`
      : `Imported in one transaction${leftOut}:`,
  );
  lines.push(`  sites:  ${counts(outcome.sites)}`);
  lines.push(`  spaces: ${counts(outcome.spaces)}`);
  return `${lines.join('\n')}\n`;
}
