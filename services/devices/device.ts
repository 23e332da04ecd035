export const ALERT_KINDS = [
  'door_open_too_long',
  'tamper',
  'jammed',
  'battery_low',
  'offline',
  'misuse',
  'overstay',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What a town's staff see of a lock or sensor. The signing secret never leaves the bridge. */
export interface DeviceState {
  tenantId: string;
  id: string;
  kind: string;
  name: string | null;
  online: boolean | null;
  lastSeenAt: Date | null;
  doorOpen: boolean | null;
  occupied: boolean | null;
  batteryPercent: number | null;
  lockState: string | null;
  stateChangedAt: Date | null;
}

export interface DeviceAlert {
  id: string;
  tenantId: string;
  deviceId: string | null;
  spaceId: string | null;
  bookingId: string | null;
  kind: AlertKind;
  openedAt: Date;
  resolvedAt: Date | null;
  detail: string | null;
}

export interface AlertCondition {
  tenantId: string;
  kind: AlertKind;
  deviceId: string | null;
  spaceId: string | null;
  bookingId?: string | null;
  detail?: string | null;
}
