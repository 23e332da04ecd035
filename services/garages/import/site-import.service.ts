import type { Db, Tx } from '../../core/db/database.ts';
import type { Actor } from '../../core/tenancy.ts';
import { withActor } from '../../core/tenancy.ts';
import { tenantRepository } from '../../core/tenant.ts';
import { siteRepository } from '../site.repository.ts';
import { spaceRepository } from '../space.repository.ts';
import type { ParsedImport, Problem } from './import-record.ts';
import { recordsRead, sortProblems } from './import-record.ts';
import { type ExistingSite, type ImportPlan, planImport, type StepAction } from './site-import.plan.ts';
import { siteImportRepository } from './site-import.repository.ts';
import { validateImport } from './site-import.validation.ts';

export class UnknownTenantError extends Error {
  constructor(
    readonly tenantId: string,
    readonly known: readonly string[],
  ) {
    super(`Unknown tenant "${tenantId}"; known tenants: ${known.join(', ')}`);
    this.name = 'UnknownTenantError';
  }
}

export interface ImportOptions {
  tenantId: string;
  /** Import the good records even when others are rejected (default: all or nothing). */
  partial?: boolean;
  /** Check everything, including against the database, and write nothing. */
  dryRun?: boolean;
}

export type ActionCounts = Record<StepAction, number>;

export interface ImportOutcome {
  unit: ParsedImport['unit'];
  read: number;
  /** Records that passed every check (and were imported, unless refused or a dry run). */
  accepted: number;
  rejected: number;
  problems: Problem[];
  notices: string[];
  /** True when nothing was (or, in a dry run, would be) imported because of rejected records. */
  refused: boolean;
  dryRun: boolean;
  sites: ActionCounts;
  spaces: ActionCounts;
}

/**
 * Imports parsed sites and spaces for one tenant, in one transaction, as an admin of that
 * tenant: row-level security confines every read and write to the tenant from the command
 * line, whatever the file says.
 */
export async function importSites(
  db: Db,
  parsed: ParsedImport,
  options: ImportOptions,
): Promise<ImportOutcome> {
  const validated = validateImport(parsed);
  const actor: Actor = { role: 'admin', tenantId: options.tenantId, accountId: null };

  return withActor(db, actor, async (tx) => {
    if (!(await tenantRepository.findById(tx, options.tenantId))) {
      const known = (await tenantRepository.list(tx)).map((t) => t.id);
      throw new UnknownTenantError(options.tenantId, known);
    }
    const existing = await loadExisting(
      tx,
      options.tenantId,
      validated.sites.map((s) => s.ref),
    );
    const plan = planImport(validated.sites, existing, parsed.fieldNames);
    const problems = sortProblems([...validated.problems, ...plan.problems]);
    const refused = plan.accepted === 0 || (problems.length > 0 && !options.partial);
    if (!refused && !options.dryRun) await writePlan(tx, options.tenantId, plan);

    const read = recordsRead(parsed);
    return {
      unit: parsed.unit,
      read,
      accepted: plan.accepted,
      rejected: read - plan.accepted,
      problems,
      notices: parsed.notices,
      refused,
      dryRun: options.dryRun ?? false,
      ...countActions(plan),
    };
  });
}

async function loadExisting(tx: Tx, tenantId: string, refs: string[]): Promise<Map<string, ExistingSite>> {
  const sites = await siteImportRepository.lockSitesByRefs(tx, tenantId, refs);
  const spaces = await siteImportRepository.lockSpacesBySites(
    tx,
    sites.map((s) => s.id),
  );
  const existing = new Map<string, ExistingSite>();
  const byId = new Map<string, ExistingSite>();
  for (const site of sites) {
    const entry = { site, spaces: [] };
    byId.set(site.id, entry);
    if (site.externalRef) existing.set(site.externalRef, entry);
  }
  for (const space of spaces) byId.get(space.siteId)?.spaces.push(space);
  return existing;
}

async function writePlan(tx: Tx, tenantId: string, plan: ImportPlan): Promise<void> {
  for (const step of plan.steps) {
    let siteId: string;
    if (!step.existing) {
      const site = await siteRepository.insert(tx, { ...step.fields, tenantId, externalRef: step.ref });
      siteId = site.id;
    } else {
      siteId = step.existing.id;
      if (step.action === 'update' && !(await siteRepository.update(tx, siteId, step.patch))) {
        throw new Error(`Site ${step.ref} could not be updated`);
      }
    }
    for (const spaceStep of step.spaces) {
      const { label, type, lockDeviceId } = spaceStep.space;
      if (!spaceStep.existing) {
        await spaceRepository.insert(tx, tenantId, {
          siteId,
          label,
          type,
          lockDeviceId: lockDeviceId ?? null,
        });
      } else if (spaceStep.action === 'update') {
        if (!(await spaceRepository.update(tx, spaceStep.existing, spaceStep.patch))) {
          throw new Error(`Space ${label} of site ${step.ref} could not be updated`);
        }
      }
    }
  }
}

function countActions(plan: ImportPlan): { sites: ActionCounts; spaces: ActionCounts } {
  const sites: ActionCounts = { create: 0, update: 0, unchanged: 0 };
  const spaces: ActionCounts = { create: 0, update: 0, unchanged: 0 };
  for (const step of plan.steps) {
    sites[step.action]++;
    for (const space of step.spaces) spaces[space.action]++;
  }
  return { sites, spaces };
}
