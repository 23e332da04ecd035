import { sql } from 'kysely';
import type { Tx } from '../../services/core/db/database.ts';
import type { DeviceKey } from '../contract/topics.ts';

export type LorawanProfile = 'bosch-pls' | 'nwave-nps' | 'lock';
export type LorawanNetwork = 'tts' | 'chirpstack';

/** A device of ours that speaks LoRaWAN, found by its DevEUI. */
export interface LorawanDevice extends DeviceKey {
  devEui: string;
  profile: LorawanProfile | null;
}

/** A command together with where its device sits on the LoRaWAN side (for ack matching). */
export interface LorawanCommandTarget extends DeviceKey {
  commandId: string;
  devEui: string | null;
  network: LorawanNetwork | null;
  ttsDeviceId: string | null;
}

/** All SQL of the LoRaWAN adapter. */
export const lorawanDeviceRepository = {
  async findByDevEui(tx: Tx, devEui: string): Promise<LorawanDevice | undefined> {
    const row = await tx
      .selectFrom('device')
      .select(['tenant_id', 'id', 'lorawan_dev_eui', 'lorawan_profile'])
      .where('lorawan_dev_eui', '=', devEui)
      .executeTakeFirst();
    if (!row?.lorawan_dev_eui) return undefined;
    return {
      tenantId: row.tenant_id,
      deviceId: row.id,
      devEui: row.lorawan_dev_eui,
      profile: row.lorawan_profile as LorawanProfile | null,
    };
  },

  async commandTarget(tx: Tx, commandId: string): Promise<LorawanCommandTarget | undefined> {
    const row = await tx
      .selectFrom('device_command as c')
      .innerJoin('device as d', (j) =>
        j.onRef('d.tenant_id', '=', 'c.tenant_id').onRef('d.id', '=', 'c.device_id'),
      )
      .select([
        'c.id',
        'c.tenant_id',
        'c.device_id',
        'd.lorawan_dev_eui',
        'd.lorawan_network',
        'd.lorawan_device_id',
      ])
      .where('c.id', '=', commandId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      commandId: row.id,
      tenantId: row.tenant_id,
      deviceId: row.device_id,
      devEui: row.lorawan_dev_eui,
      network: row.lorawan_network as LorawanNetwork | null,
      ttsDeviceId: row.lorawan_device_id,
    };
  },

  /**
   * The command's lock sequence: the one it was given at its first attempt, else the lock's
   * next number. Retries repeat the number, so the lock carries the command out once.
   */
  async downlinkSequence(tx: Tx, command: { id: string } & DeviceKey): Promise<number> {
    const { rows } = await sql<{ seq: string }>`
      with assigned as (
        select lorawan_seq from device_command where id = ${command.id} and lorawan_seq is not null
      ), bumped as (
        update device set lorawan_downlink_seq = lorawan_downlink_seq + 1
        where tenant_id = ${command.tenantId} and id = ${command.deviceId}
          and not exists (select from assigned)
        returning lorawan_downlink_seq
      ), stored as (
        update device_command set lorawan_seq = (select lorawan_downlink_seq from bumped)
        where id = ${command.id} and exists (select from bumped)
        returning lorawan_seq
      )
      select coalesce((select lorawan_seq from assigned), (select lorawan_seq from stored))::text as seq`.execute(
      tx,
    );
    return Number(rows[0]?.seq);
  },
};
