import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BodyTooLargeError, MalformedBodyError } from './ingest.errors';

/** Reads a request body, gunzipping it if asked, refusing more than `limitBytes` after decompression. */
export async function readBody(stream: Readable, contentEncoding: string | undefined, limitBytes: number): Promise<string> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  let source: Readable = stream;
  if (encoding === 'gzip') source = stream.pipe(createGunzip());
  else if (encoding !== 'identity' && encoding !== '') throw new MalformedBodyError(`unsupported Content-Encoding "${encoding}"; send identity or gzip`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > limitBytes) {
        stream.destroy();
        throw new BodyTooLargeError(limitBytes);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw err;
    throw new MalformedBodyError(`cannot read the request body: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A JSON object, a JSON array of objects, or NDJSON (one object per line).
 * A line of NDJSON that is not JSON becomes a per-record error, so the good
 * lines of the same body still go through.
 */
export function splitRecords(body: string): { records: unknown[]; lineErrors: { index: number; problem: string }[] } {
  const text = body.trim();
  if (text.length === 0) throw new MalformedBodyError('the request body is empty; send a JSON object, a JSON array or NDJSON');
  try {
    const parsed: unknown = JSON.parse(text);
    return { records: Array.isArray(parsed) ? parsed : [parsed], lineErrors: [] };
  } catch {
    // Not one JSON document: read it as NDJSON.
  }
  const records: unknown[] = [];
  const lineErrors: { index: number; problem: string }[] = [];
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  if (lines.length === 1) throw new MalformedBodyError('the request body is not valid JSON or NDJSON');
  lines.forEach((line, index) => {
    try {
      records.push(JSON.parse(line));
    } catch (err) {
      records.push(undefined);
      lineErrors.push({ index, problem: `line ${index + 1} is not valid JSON: ${(err as Error).message}` });
    }
  });
  return { records, lineErrors };
}
