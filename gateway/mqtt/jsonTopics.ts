/**
 * JSON format topics: `prefix/device/tag` for a value (and `…/set` to write it,
 * `…/set/result` for the answer), `prefix/$gateway/state` for whether the gateway is
 * up. Device and tag names cannot hold "/", "+" or "#" (the config's name rule), so
 * each is exactly one topic level.
 */
import type { TagValue } from '../api/channel';

export function valueTopic(prefix: string, device: string, tag: string): string {
  return `${prefix}/${device}/${tag}`;
}

export function stateTopic(prefix: string): string {
  return `${prefix}/$gateway/state`;
}

export function setTopicFilter(prefix: string): string {
  return `${prefix}/+/+/set`;
}

/** `prefix/device/tag/set` → device and tag; undefined for any other topic. */
export function parseSetTopic(prefix: string, topic: string): { device: string; tag: string } | undefined {
  if (!topic.startsWith(`${prefix}/`) || !topic.endsWith('/set')) return undefined;
  const levels = topic.slice(prefix.length + 1, -'/set'.length).split('/');
  if (levels.length !== 2 || levels.some((level) => level === '')) return undefined;
  return { device: levels[0], tag: levels[1] };
}

/**
 * `{"value", "quality", "ts"}`: quality as the engine reports it (good, bad, stale),
 * `error` saying why when it is not good, `text` for what a number cannot carry (the
 * characters of a string tag, the exact decimal of a 64-bit integer).
 */
export function valuePayload(reading: TagValue): string {
  return JSON.stringify({
    value: reading.value,
    quality: reading.quality,
    ts: reading.ts,
    ...(reading.error === undefined ? {} : { error: reading.error }),
    ...(reading.text === undefined ? {} : { text: reading.text }),
  });
}
