export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface Address {
  street: string | null;
  postalCode: string | null;
  city: string | null;
}

/** A bike garage (Fahrradparkhaus) or another place with bookable spaces. */
export interface Site {
  id: string;
  tenantId: string;
  kind: string;
  name: string;
  address: Address;
  position: GeoPoint;
  /** OpenStreetMap opening_hours syntax, e.g. "24/7" or "Mo-Fr 05:00-23:00". */
  openingHours: string | null;
  externalRef: string | null;
  retiredAt: Date | null;
}

export interface SiteInput {
  tenantId: string;
  name: string;
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  lat: number;
  lon: number;
  openingHours?: string | null;
  externalRef?: string | null;
}

export type SitePatch = Partial<Omit<SiteInput, 'tenantId'>>;
