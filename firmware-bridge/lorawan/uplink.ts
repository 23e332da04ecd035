import { parseChirpstackUplink } from './chirpstack-uplink.ts';
import type { LorawanUplink, UplinkError, UplinkParseOptions } from './envelope.ts';
import { err, ok, type Result } from './result.ts';
import { parseLorawanTopic } from './topics.ts';
import { parseTtsUplink } from './tts-uplink.ts';

/**
 * The bridge's single entry point for an MQTT message from a network server: recognises the
 * topic, parses the envelope and checks that the message is about the device its topic
 * names. The broker's ACLs protect topics, not message bodies, so a body naming another
 * device is rejected rather than trusted.
 */
export function parseUplinkMessage(
  topic: string,
  payload: Uint8Array | string,
  options: UplinkParseOptions = {},
): Result<LorawanUplink, UplinkError> {
  const parsedTopic = parseLorawanTopic(topic);
  if (parsedTopic === undefined || parsedTopic.kind !== 'uplink') {
    return err({ reason: 'not_an_uplink_topic', message: `Not a LoRaWAN uplink topic: ${topic}` });
  }

  if (parsedTopic.network === 'tts') {
    const uplink = parseTtsUplink(payload, options);
    if (!uplink.ok) return uplink;
    const { deviceId, applicationId } = uplink.value;
    if (deviceId !== parsedTopic.deviceId || applicationId !== parsedTopic.applicationId) {
      return err({
        reason: 'topic_mismatch',
        message: `Message for ${applicationId}/${deviceId} arrived on ${topic}`,
        path: 'end_device_ids',
      });
    }
    return ok(uplink.value);
  }

  const uplink = parseChirpstackUplink(payload, options);
  if (!uplink.ok) return uplink;
  const { devEui, applicationId } = uplink.value;
  const appMatches = applicationId === undefined || applicationId.toLowerCase() === parsedTopic.applicationId;
  if (devEui !== parsedTopic.devEui || !appMatches) {
    return err({
      reason: 'topic_mismatch',
      message: `Message for ${applicationId ?? '?'}/${devEui} arrived on ${topic}`,
      path: 'deviceInfo',
    });
  }
  return ok(uplink.value);
}
