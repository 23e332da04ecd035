import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../services/core/db/database.ts';
import { systemActor, withActor } from '../services/core/tenancy.ts';

/** 32 random bytes, base64url: the HMAC key is this string's UTF-8 bytes (contract/signing.ts). */
export function newDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface ProvisionedDevice {
  tenantId: string;
  deviceId: string;
}

/**
 * Gives every device without a secret a random one and returns those devices. Commands to a
 * device without a secret cannot be signed, so the bridge fails them. Runs as swf_bridge, the
 * only role that may read device.secret; a device provisioned concurrently keeps its secret
 * (the update is guarded by `secret is null`).
 */
export async function provisionDeviceSecrets(db: Db): Promise<ProvisionedDevice[]> {
  return withActor(
    db,
    systemActor,
    async (tx) => {
      const missing = await tx
        .selectFrom('device')
        .select(['tenant_id', 'id'])
        .where('secret', 'is', null)
        .execute();
      if (missing.length === 0) return [];
      const values = sql.join(
        missing.map((d) => sql`(${d.tenant_id}::text, ${d.id}::text, ${newDeviceSecret()}::text)`),
      );
      const { rows } = await sql<{ tenant_id: string; id: string }>`
        update device d set secret = v.secret
        from (values ${values}) as v(tenant_id, id, secret)
        where d.tenant_id = v.tenant_id and d.id = v.id and d.secret is null
        returning d.tenant_id, d.id`.execute(tx);
      return rows.map((r) => ({ tenantId: r.tenant_id, deviceId: r.id }));
    },
    { dbRole: 'swf_bridge' },
  );
}
