/**
 * Sparkplug B payloads (protobuf, through `sparkplug-payload`) and each tag's Sparkplug
 * datatype. protobufjs looks for `long` with a hidden require that a bundle cannot
 * follow: without it 64-bit metrics (bdSeq, timestamps, int64 tags) would lose
 * precision, so it is handed over here explicitly.
 */
import Long from 'long';
import protobuf from 'protobufjs/minimal';
import { get as sparkplugNamespace } from 'sparkplug-payload';
import type { UMetric, UPayload, TypeStr } from 'sparkplug-payload/lib/sparkplugbpayload';
import type { Tag } from '../api/config';

protobuf.util.Long = Long;
protobuf.configure();

const codec = sparkplugNamespace('spBv1.0')!;

export type SparkplugMetric = UMetric;
export type SparkplugPayload = UPayload;
export type SparkplugType = TypeStr;

export function encodeSparkplug(payload: SparkplugPayload): Buffer {
  const bytes = codec.encodePayload(payload);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeSparkplug(bytes: Uint8Array): SparkplugPayload {
  return codec.decodePayload(bytes);
}

const BY_TAG_TYPE: Record<Tag['type'], SparkplugType> = {
  bool: 'Boolean',
  int16: 'Int16',
  uint16: 'UInt16',
  int32: 'Int32',
  uint32: 'UInt32',
  int64: 'Int64',
  uint64: 'UInt64',
  float32: 'Float',
  float64: 'Double',
  string: 'String',
  bcd16: 'UInt16',
  bcd32: 'UInt32',
};

/** The datatype a tag's values have: its register type, or Double once a scale or offset can make them fractional. */
export function sparkplugType(tag: Pick<Tag, 'type' | 'scale' | 'offset'>): SparkplugType {
  const scaled = tag.scale !== 1 || tag.offset !== 0;
  if (scaled && tag.type !== 'bool' && tag.type !== 'string') return 'Double';
  return BY_TAG_TYPE[tag.type];
}

/** A metric's value as a tag write takes it: 64-bit integers as their exact decimal text. */
export function metricWriteValue(value: SparkplugMetric['value']): number | boolean | string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (Long.isLong(value)) return value.toString();
  return undefined;
}
