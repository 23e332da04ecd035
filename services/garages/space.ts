export const SPACE_TYPES = ['STANDARD', 'E_BIKE_CHARGING', 'CARGO', 'LARGE'] as const;
export type SpaceType = (typeof SPACE_TYPES)[number];

/** A bookable bike box or garage place, opened by its lock device. */
export interface Space {
  id: string;
  tenantId: string;
  siteId: string;
  label: string;
  type: SpaceType;
  lockDeviceId: string | null;
  retiredAt: Date | null;
}

export interface SpaceInput {
  siteId: string;
  label: string;
  type: SpaceType;
  lockDeviceId?: string | null;
}

export type SpacePatch = Partial<Omit<SpaceInput, 'siteId'>>;
