import type { Site, SitePatch } from '../site.ts';
import type { Space, SpacePatch } from '../space.ts';
import type { FieldKey, Problem } from './import-record.ts';
import { fieldLabel } from './import-record.ts';
import type { ImportSite, ImportSpace, ImportUnit, SiteFields } from './site-import.validation.ts';

/** What the tenant already has under the file's references: the site and all its spaces, retired ones too. */
export interface ExistingSite {
  site: Site;
  spaces: Space[];
}

export type StepAction = 'create' | 'update' | 'unchanged';

export interface SpaceStep {
  action: StepAction;
  space: ImportSpace;
  existing?: Space;
  patch: SpacePatch;
}

export interface SiteStep {
  action: StepAction;
  ref: string;
  fields: SiteFields;
  existing?: Site;
  patch: SitePatch;
  spaces: SpaceStep[];
}

export interface ImportPlan {
  steps: SiteStep[];
  /** Records the database state rules out (retired sites or spaces). */
  problems: Problem[];
  /** Records that go into the plan. */
  accepted: number;
}

/**
 * Compares the validated file with what the tenant has: existing sites (by reference) and
 * spaces (by label) are updated where they differ, the rest is created. Nothing is deleted.
 *
 * Retired sites and spaces are refused rather than silently changed: the import cannot bring
 * them back, and reporting "updated" for something nobody can book would mislead.
 */
export function planImport(
  sites: readonly ImportSite[],
  existing: ReadonlyMap<string, ExistingSite>,
  fieldNames: Record<FieldKey, string>,
): ImportPlan {
  const plan: ImportPlan = { steps: [], problems: [], accepted: 0 };
  const refuse = (unit: ImportUnit, field: string, message: string) =>
    plan.problems.push({ line: unit.line, ...(unit.where && { where: unit.where }), field, message });

  for (const site of sites) {
    const current = existing.get(site.ref);
    if (current?.site.retiredAt) {
      for (const unit of site.units) {
        refuse(unit, fieldNames.ref, `site ${site.ref} is retired; an import does not change retired sites`);
      }
      continue;
    }
    const spacesByLabel = new Map(current?.spaces.map((s) => [s.label, s]));
    const accepted = site.units.filter((unit) => {
      const retired = unit.spaces.filter((s) => spacesByLabel.get(s.label)?.retiredAt);
      for (const space of retired) {
        refuse(
          unit,
          fieldLabel(fieldNames, 'label', space),
          `space ${space.label} of site ${site.ref} is retired; an import does not change retired spaces`,
        );
      }
      return retired.length === 0;
    });
    if (accepted.length === 0) continue;
    plan.accepted += accepted.length;

    const patch = current ? sitePatch(site.fields, current.site) : {};
    plan.steps.push({
      action: !current ? 'create' : Object.keys(patch).length > 0 ? 'update' : 'unchanged',
      ref: site.ref,
      fields: site.fields,
      ...(current && { existing: current.site }),
      patch,
      spaces: accepted.flatMap((unit) => unit.spaces).map((space) => spaceStep(space, spacesByLabel)),
    });
  }
  return plan;
}

/** Only what the file gives (an absent column keeps the stored value) and what differs. */
function sitePatch(fields: SiteFields, site: Site): SitePatch {
  const stored = {
    name: site.name,
    street: site.address.street,
    postalCode: site.address.postalCode,
    city: site.address.city,
    lat: site.position.lat,
    lon: site.position.lon,
    openingHours: site.openingHours,
  };
  const patch: SitePatch = {};
  if (fields.name !== stored.name) patch.name = fields.name;
  if (fields.lat !== stored.lat) patch.lat = fields.lat;
  if (fields.lon !== stored.lon) patch.lon = fields.lon;
  for (const key of ['street', 'postalCode', 'city', 'openingHours'] as const) {
    const value = fields[key];
    if (value !== undefined && value !== stored[key]) patch[key] = value;
  }
  return patch;
}

function spaceStep(space: ImportSpace, existing: ReadonlyMap<string, Space>): SpaceStep {
  const current = existing.get(space.label);
  if (!current) return { action: 'create', space, patch: {} };
  const patch: SpacePatch = {};
  if (space.type !== current.type) patch.type = space.type;
  if (space.lockDeviceId !== undefined && space.lockDeviceId !== current.lockDeviceId) {
    patch.lockDeviceId = space.lockDeviceId;
  }
  return { action: Object.keys(patch).length > 0 ? 'update' : 'unchanged', space, existing: current, patch };
}
