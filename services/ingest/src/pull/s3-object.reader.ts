import type { BodyRecord } from '../request-body.reader';
import { decodePulledBytes, splitPulledText } from './pulled-bytes.decoder';

/** How an object held its events; told per object, since one bucket may hold several kinds. */
export type S3ObjectFormat = 'json-object' | 'json-array' | 'ndjson' | 'cloudtrail-records' | 'empty';

export interface S3ObjectRecords {
  gzip: boolean;
  format: S3ObjectFormat;
  records: BodyRecord[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON text of an element of an envelope, for a rejection to quote; a value too deep to serialise still gets one. */
function textOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    return `(not serialisable: ${(err as Error).message})`;
  }
}

/**
 * The events of one S3 object: gzip or plain; NDJSON, a JSON array, one JSON
 * object, or CloudTrail's `{"Records": [...]}`, whose elements are the events.
 * Throws UnreadableInputError for an object that holds nothing readable (bad
 * gzip, not UTF-8, not JSON, over `maxBytes`): one rejection, never a retry.
 */
export async function readS3Object(bytes: Buffer, maxBytes: number): Promise<S3ObjectRecords> {
  const { text, gzip } = await decodePulledBytes(bytes, maxBytes, 'the object');
  const records = splitPulledText(text, 'the object');
  if (records.length === 0) return { gzip, format: 'empty', records };
  const first = records[0];
  if (records.length === 1 && first.problem === undefined && isObject(first.value) && Array.isArray(first.value.Records)) {
    // CloudTrail writes one object per delivery with every event in Records; the envelope itself is no event.
    const events = first.value.Records as unknown[];
    return { gzip, format: 'cloudtrail-records', records: events.map((value) => ({ text: textOf(value), value })) };
  }
  const format: S3ObjectFormat = text.trimStart().startsWith('[') ? 'json-array' : records.length === 1 && first.problem === undefined ? 'json-object' : 'ndjson';
  return { gzip, format, records };
}
