import { isUuid } from './encoding.ts';

/**
 * How our command id rides in TTS `correlation_ids`. TTS adds its own ids ("as:downlink:…")
 * next to ours and echoes all of them in the down/ack, nack, sent and failed events, so ours
 * needs a prefix nobody else uses. TTS limits each id to 100 characters.
 */
export const TTS_CORRELATION_PREFIX = 'swf:cmd:';

export function ttsCorrelationId(commandId: string): string {
  return `${TTS_CORRELATION_PREFIX}${commandId.toLowerCase()}`;
}

/** Our command id from a list of correlation ids, or undefined if none is ours. */
export function commandIdFromCorrelationIds(ids: readonly string[]): string | undefined {
  for (const id of ids) {
    if (!id.startsWith(TTS_CORRELATION_PREFIX)) continue;
    const candidate = id.slice(TTS_CORRELATION_PREFIX.length);
    if (isUuid(candidate)) return candidate.toLowerCase();
  }
  return undefined;
}
