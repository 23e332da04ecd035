import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';

export interface Secrets {
  jwtSecret: string;
  /** Signs the QR access tokens of bookings; separate from the JWT key so either can rotate. */
  accessCredentialSecret: string;
}

/**
 * Production takes secrets from the environment (config demands JWT_SECRET there). The
 * embedded default generates them once and keeps them in the data folder, so tokens and
 * QR codes survive a restart without anyone having to configure anything.
 */
export function resolveSecrets(config: Config): Secrets {
  if (config.jwtSecret) {
    return { jwtSecret: config.jwtSecret, accessCredentialSecret: `${config.jwtSecret}:access-credential` };
  }
  const file = join(config.dataDir, 'secrets.json');
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Secrets;
    if (stored.jwtSecret && stored.accessCredentialSecret) return stored;
  } catch {
    // first start: generate below
  }
  const secrets: Secrets = {
    jwtSecret: randomBytes(32).toString('base64url'),
    accessCredentialSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
