export const LOCK_COMMAND_STATUSES = ['pending', 'sent', 'acked', 'rejected', 'failed', 'expired'] as const;
export type LockCommandStatus = (typeof LOCK_COMMAND_STATUSES)[number];
export type LockAction = 'unlock' | 'lock' | 'force_unlock';

/** Final states: the bridge changes nothing after these. */
export const FINAL_COMMAND_STATUSES: readonly LockCommandStatus[] = [
  'acked',
  'rejected',
  'failed',
  'expired',
];

export interface LockCommand {
  id: string;
  tenantId: string;
  deviceId: string;
  spaceId: string | null;
  bookingId: string | null;
  action: LockAction;
  status: LockCommandStatus;
  deviceState: string | null;
  issuedAt: Date;
  expiresAt: Date;
  attempts: number;
}

export interface LockCommandTransition {
  status: string;
  at: Date;
  detail: string | null;
}
