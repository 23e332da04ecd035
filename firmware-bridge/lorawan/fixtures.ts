import { readFileSync } from 'node:fs';

/** Test helper: raw bytes of a file under fixtures/, as MQTT would deliver them. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureBytes(name).toString('utf8'));
}
