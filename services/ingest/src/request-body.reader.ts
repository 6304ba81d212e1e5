import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { BodyTooLargeError, MalformedBodyError } from './ingest.errors';
import { jsonArrayElements } from './json-array.splitter';

const gunzipAsync = promisify(gunzip);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the body bytes as they came on the wire (an HMAC covers these),
 * refusing more than `limitBytes` without reading the rest.
 */
export async function readRawBody(stream: Readable, declaredLength: string | undefined, limitBytes: number): Promise<Buffer> {
  if (declaredLength !== undefined && /^\d+$/.test(declaredLength) && Number(declaredLength) > limitBytes) {
    throw new BodyTooLargeError(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw err;
    throw new MalformedBodyError(`cannot read the request body: ${(err as Error).message}`, { cause: err });
  }
  return Buffer.concat(chunks);
}

/** Undoes Content-Encoding (identity or gzip) and reads UTF-8; the decoded text is bounded by `limitBytes` too. */
export async function decodeBody(raw: Buffer, contentEncoding: string | undefined, limitBytes: number): Promise<string> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  let bytes = raw;
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      // maxOutputLength stops a small bomb from inflating past the limit in memory.
      bytes = await gunzipAsync(raw, { maxOutputLength: limitBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(limitBytes, 'request body after gzip decoding');
      throw new MalformedBodyError(`the body is not valid gzip: ${(err as Error).message}`, { cause: err });
    }
  } else if (encoding !== 'identity' && encoding !== '') {
    throw new MalformedBodyError(`unsupported Content-Encoding "${encoding.slice(0, 100)}"; send identity or gzip`);
  }
  try {
    return utf8.decode(bytes);
  } catch (err) {
    throw new MalformedBodyError('the body is not valid UTF-8', { cause: err });
  }
}

/** One record of a body: its text as sent, and either its value or why it is not JSON. */
export interface BodyRecord {
  text: string;
  value?: unknown;
  problem?: string;
}

/**
 * A JSON object, a JSON array of objects, or NDJSON (one object per line).
 * A line of NDJSON that is not JSON becomes a per-record problem, so the good
 * lines of the same body still go through.
 */
export function splitRecords(body: string): BodyRecord[] {
  const text = body.trim();
  if (text.length === 0) throw new MalformedBodyError('the request body is empty; send a JSON object, a JSON array or NDJSON');
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (isJson) {
    if (!Array.isArray(parsed)) return [{ text, value: parsed }];
    const texts = jsonArrayElements(text);
    if (texts.length === 0) throw new MalformedBodyError('the request body is an empty JSON array; send at least one event');
    return parsed.map((value, i) => ({ text: texts[i], value }));
  }
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim().length > 0);
  if (lines.length === 1) throw new MalformedBodyError('the request body is not valid JSON or NDJSON');
  return lines.map((line, index) => {
    try {
      return { text: line, value: JSON.parse(line) as unknown };
    } catch (err) {
      return { text: line, problem: `line ${index + 1} is not valid JSON: ${(err as Error).message}` };
    }
  });
}
