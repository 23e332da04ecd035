import { sql } from 'kysely';
import type { DeviceCommandRow, Tx } from '../core/db/database.ts';
import { jsonb } from '../core/db/jsonb.ts';
import type { LockAction, LockCommand, LockCommandStatus, LockCommandTransition } from './lock-command.ts';

export function commandRowToLockCommand(row: DeviceCommandRow): LockCommand {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    deviceId: row.device_id,
    spaceId: row.space_id,
    bookingId: row.booking_id,
    action: row.action,
    status: row.status as LockCommandStatus,
    deviceState: row.device_state,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    attempts: row.attempts,
  };
}

export interface NewLockCommand {
  tenantId: string;
  deviceId: string;
  spaceId: string | null;
  bookingId: string | null;
  /** Shared vehicles (services/stations) use the same outbox. */
  vehicleId?: string | null;
  tripId?: string | null;
  action: LockAction;
  requestedBy: string;
  issuedAt: Date;
  expiresAt: Date;
  params?: Record<string, unknown>;
}

export const lockCommandRepository = {
  /**
   * Writes the command to the outbox with its first transition, and wakes the bridge on
   * commit (NOTIFY is transactional): the bridge delivers, retries and records the result.
   */
  async enqueue(tx: Tx, c: NewLockCommand): Promise<LockCommand> {
    const row = await tx
      .insertInto('device_command')
      .values({
        tenant_id: c.tenantId,
        device_id: c.deviceId,
        space_id: c.spaceId,
        booking_id: c.bookingId,
        vehicle_id: c.vehicleId ?? null,
        trip_id: c.tripId ?? null,
        action: c.action,
        params: jsonb(c.params ?? {}),
        issued_at: c.issuedAt,
        expires_at: c.expiresAt,
        next_attempt_at: c.issuedAt,
        requested_by: c.requestedBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('device_command_transition')
      .values({ command_id: row.id, tenant_id: row.tenant_id, status: 'pending', at: c.issuedAt })
      .execute();
    await sql`select pg_notify('device_command_created', ${row.id})`.execute(tx);
    return commandRowToLockCommand(row);
  },

  async findById(tx: Tx, id: string): Promise<LockCommand | undefined> {
    const row = await tx.selectFrom('device_command').selectAll().where('id', '=', id).executeTakeFirst();
    return row && commandRowToLockCommand(row);
  },

  async transitions(tx: Tx, commandId: string): Promise<LockCommandTransition[]> {
    const rows = await tx
      .selectFrom('device_command_transition')
      .select(['status', 'at', 'detail'])
      .where('command_id', '=', commandId)
      .orderBy('id')
      .execute();
    return rows;
  },
};
