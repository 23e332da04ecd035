import type { Tx } from '../core/db/database.ts';
import { commandRowToLockCommand, lockCommandRepository } from '../devices/lock-command.repository.ts';
import type { LockCommand } from '../devices/lock-command.ts';

export interface NewVehicleCommand {
  tenantId: string;
  deviceId: string;
  vehicleId: string;
  tripId: string;
  action: 'unlock' | 'lock';
  requestedBy: string;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * Lock commands for shared vehicles go through the same outbox as those for bike boxes
 * (device_command): written in the trip's transaction, delivered and retried by the bridge.
 */
export const vehicleCommandRepository = {
  async enqueue(tx: Tx, c: NewVehicleCommand): Promise<LockCommand> {
    return lockCommandRepository.enqueue(tx, {
      tenantId: c.tenantId,
      deviceId: c.deviceId,
      spaceId: null,
      bookingId: null,
      vehicleId: c.vehicleId,
      tripId: c.tripId,
      action: c.action,
      requestedBy: c.requestedBy,
      issuedAt: c.issuedAt,
      expiresAt: c.expiresAt,
      params: { tripId: c.tripId },
    });
  },

  async findUnlockForTrip(tx: Tx, tripId: string): Promise<LockCommand | undefined> {
    const row = await tx
      .selectFrom('device_command')
      .selectAll()
      .where('trip_id', '=', tripId)
      .where('action', '=', 'unlock')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row && commandRowToLockCommand(row);
  },
};
