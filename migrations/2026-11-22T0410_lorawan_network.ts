import { type Kysely, sql } from 'kysely';

/**
 * Where a LoRaWAN lock is reached: which network server (The Things Stack v3 or ChirpStack v4)
 * and under which application. Sensors need none of this (uplinks are matched by DevEUI), but a
 * downlink must name the network server's application and, on TTS, its end-device id.
 *
 * Lock downlinks carry a per-lock sequence (firmware-bridge/lorawan/README.md): the lock carries
 * out a command only if its sequence is above the last one it carried out. The device row
 * counts, and each command keeps the number it was given, so a retry repeats it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table device
      add column lorawan_network text check (lorawan_network in ('tts', 'chirpstack')),
      add column lorawan_application_id text check (lorawan_application_id ~ '^[A-Za-z0-9@.-]{1,80}$'),
      add column lorawan_device_id text check (lorawan_device_id ~ '^[a-z0-9](?:-?[a-z0-9]){2,35}$'),
      add column lorawan_downlink_seq bigint not null default 0
        check (lorawan_downlink_seq between 0 and 4294967295),
      add constraint device_lorawan_network_needs_eui
        check (lorawan_network is null or lorawan_dev_eui is not null);
    alter table device_command
      add column lorawan_seq bigint check (lorawan_seq between 1 and 4294967295);
    grant select (lorawan_network, lorawan_application_id, lorawan_device_id, lorawan_downlink_seq)
      on device to swf_app;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
