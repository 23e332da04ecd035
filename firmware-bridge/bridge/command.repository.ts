import { sql } from 'kysely';
import type { Tx } from '../../services/core/db/database.ts';
import type { CommandAction } from '../contract/payloads.ts';
import type { LorawanLockColumns } from './lorawan-downlink.ts';

/** States a command can still leave; every status update is guarded by them. */
export const OPEN_STATUSES = ['pending', 'sent'] as const;
export type FinalStatus = 'acked' | 'rejected' | 'failed' | 'expired';
export type CommandStatus = (typeof OPEN_STATUSES)[number] | FinalStatus;

export interface DueCommand {
  id: string;
  tenantId: string;
  deviceId: string;
  action: CommandAction;
  params: Record<string, unknown>;
  status: CommandStatus;
  issuedAt: Date;
  expiresAt: Date;
  attempts: number;
  /** Only visible as database role swf_bridge. */
  secret: string | null;
  /** Where a LoRaWAN lock is reached (all null for MQTT devices). */
  lorawan: LorawanLockColumns;
}

interface DueRow extends LorawanLockColumns {
  id: string;
  tenant_id: string;
  device_id: string;
  action: CommandAction;
  params: unknown;
  status: CommandStatus;
  issued_at: Date | string;
  expires_at: Date | string;
  attempts: number;
  secret: string | null;
}

function dueRowToCommand(row: DueRow): DueCommand {
  const params =
    typeof row.params === 'string' ? (JSON.parse(row.params) as unknown) : (row.params as unknown);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    deviceId: row.device_id,
    action: row.action,
    params:
      params && typeof params === 'object' && !Array.isArray(params)
        ? (params as Record<string, unknown>)
        : {},
    status: row.status,
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(row.expires_at),
    attempts: row.attempts,
    secret: row.secret,
    lorawan: {
      lorawan_dev_eui: row.lorawan_dev_eui,
      lorawan_profile: row.lorawan_profile,
      lorawan_network: row.lorawan_network,
      lorawan_application_id: row.lorawan_application_id,
      lorawan_device_id: row.lorawan_device_id,
    },
  };
}

export interface Transition {
  commandId: string;
  tenantId: string;
  status: CommandStatus;
  at: Date;
  detail?: string | null;
  deviceState?: string | null;
}

export const commandRepository = {
  /**
   * Locks up to `limit` due commands; rows another bridge instance holds are skipped, so two
   * instances never claim the same command. Call in a short transaction and move
   * next_attempt_at forward before commit, so the others skip it afterwards as well.
   */
  async claimDue(tx: Tx, now: Date, limit: number): Promise<DueCommand[]> {
    const { rows } = await sql<DueRow>`
      select c.id, c.tenant_id, c.device_id, c.action, c.params, c.status, c.issued_at, c.expires_at,
             c.attempts, d.secret, d.lorawan_dev_eui, d.lorawan_profile, d.lorawan_network,
             d.lorawan_application_id, d.lorawan_device_id
      from device_command c
      join device d on d.tenant_id = c.tenant_id and d.id = c.device_id
      where c.status in ('pending', 'sent') and c.next_attempt_at <= ${now}
      order by c.next_attempt_at
      limit ${limit}
      for update of c skip locked`.execute(tx);
    return rows.map(dueRowToCommand);
  },

  async recordAttempt(tx: Tx, id: string, attempts: number, nextAttemptAt: Date, now: Date): Promise<void> {
    await tx
      .updateTable('device_command')
      .set({ status: 'sent', attempts, next_attempt_at: nextAttemptAt, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', OPEN_STATUSES)
      .execute();
  },

  /**
   * Moves an open command to a final status. Returns false when it was not open (any more):
   * a late or duplicate ack, or an ack naming another device's command, changes nothing.
   */
  async finish(
    tx: Tx,
    where: { id: string; tenantId: string; deviceId: string },
    status: FinalStatus,
    now: Date,
    deviceState: string | null = null,
  ): Promise<boolean> {
    const row = await tx
      .updateTable('device_command')
      .set({ status, updated_at: now, ...(deviceState !== null && { device_state: deviceState }) })
      .where('id', '=', where.id)
      .where('tenant_id', '=', where.tenantId)
      .where('device_id', '=', where.deviceId)
      .where('status', 'in', OPEN_STATUSES)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  },

  /**
   * History row plus the notification the API waits on; both take effect on commit. One
   * statement (the INSERT as a data-modifying WITH, which runs unreferenced): the unlock
   * round trip pays every round trip to the database twice, at the claim and at the ack.
   */
  async recordTransition(tx: Tx, t: Transition): Promise<void> {
    const payload = JSON.stringify({ id: t.commandId, status: t.status, deviceState: t.deviceState ?? null });
    await sql`
      with recorded as (
        insert into device_command_transition (command_id, tenant_id, status, at, detail)
        values (${t.commandId}, ${t.tenantId}, ${t.status}, ${t.at}, ${t.detail ?? null})
      )
      select pg_notify('device_command_changed', ${payload})`.execute(tx);
  },
};
