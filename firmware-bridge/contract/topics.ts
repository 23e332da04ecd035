/**
 * MQTT topics of the device contract (schema/asyncapi.yaml):
 * `swf/{tenant}/{deviceId}/{cmd|ack|event|telemetry|status}`.
 *
 * Ids become whole topic levels and Mosquitto's ACL matches `%u` against one level, so an id
 * holding `/`, `+` or `#` could reach another device's topics: such ids are refused here
 * (and by the database's check on device.id).
 */

export const TOPIC_ROOT = 'swf';
export const TOPIC_KINDS = ['cmd', 'ack', 'event', 'telemetry', 'status'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

/** What devices send; the bridge subscribes to these. */
export const INBOUND_KINDS = ['ack', 'event', 'telemetry', 'status'] as const satisfies readonly TopicKind[];
export type InboundKind = (typeof INBOUND_KINDS)[number];

/**
 * The bridge instances announce themselves on `swf/bridge/{instanceId}/status`, which the
 * device wildcard `swf/+/+/status` also matches: "bridge" is therefore not a tenant id.
 */
export const BRIDGE_LEVEL = 'bridge';

/** Same as the database checks: tenant.id and device.id. */
const tenantPattern = /^[a-z][a-z0-9-]{1,40}$/;
const devicePattern = /^[A-Za-z0-9_.:-]{1,64}$/;

export function isValidTenantId(id: string): boolean {
  return tenantPattern.test(id) && id !== BRIDGE_LEVEL;
}

export function isValidDeviceId(id: string): boolean {
  return devicePattern.test(id);
}

export class InvalidTopicIdError extends Error {
  constructor(what: 'tenant' | 'device', id: string) {
    super(`invalid ${what} id for an MQTT topic: ${JSON.stringify(id)}`);
    this.name = 'InvalidTopicIdError';
  }
}

export function deviceTopic(tenantId: string, deviceId: string, kind: TopicKind): string {
  if (!isValidTenantId(tenantId)) throw new InvalidTopicIdError('tenant', tenantId);
  if (!isValidDeviceId(deviceId)) throw new InvalidTopicIdError('device', deviceId);
  return `${TOPIC_ROOT}/${tenantId}/${deviceId}/${kind}`;
}

export function bridgeStatusTopic(instanceId: string): string {
  if (!isValidDeviceId(instanceId)) throw new InvalidTopicIdError('device', instanceId);
  return `${TOPIC_ROOT}/${BRIDGE_LEVEL}/${instanceId}/status`;
}

export interface DeviceKey {
  tenantId: string;
  deviceId: string;
}

export interface DeviceTopic extends DeviceKey {
  kind: TopicKind;
}

export type ParsedTopic = { type: 'device'; topic: DeviceTopic } | { type: 'bridge' } | { type: 'invalid' };

/** Classifies a received topic; never throws (topics come from the network). */
export function parseTopic(topic: string): ParsedTopic {
  const levels = topic.split('/');
  if (levels.length !== 4 || levels[0] !== TOPIC_ROOT) return { type: 'invalid' };
  const [, tenantId = '', deviceId = '', kind = ''] = levels;
  if (tenantId === BRIDGE_LEVEL && kind === 'status') return { type: 'bridge' };
  if (!isValidTenantId(tenantId) || !isValidDeviceId(deviceId)) return { type: 'invalid' };
  if (!(TOPIC_KINDS as readonly string[]).includes(kind)) return { type: 'invalid' };
  return { type: 'device', topic: { tenantId, deviceId, kind: kind as TopicKind } };
}

/**
 * Topic filters the bridge subscribes to. With a share group (Mosquitto, EMQX, HiveMQ) the
 * broker hands each message to one member of the group, so several bridge instances split the
 * load instead of each storing every message; aedes (the embedded broker) knows no `$share`.
 */
export function inboundFilters(shareGroup: string | undefined): string[] {
  return INBOUND_KINDS.map((kind) => {
    const filter = `${TOPIC_ROOT}/+/+/${kind}`;
    return shareGroup ? `$share/${shareGroup}/${filter}` : filter;
  });
}
