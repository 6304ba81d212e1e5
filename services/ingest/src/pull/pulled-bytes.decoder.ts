import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { MalformedBodyError, UnreadableInputError } from '../ingest.errors';
import { type BodyRecord, splitRecords } from '../request-body.reader';

const gunzipAsync = promisify(gunzip);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const GZIP_MAGIC = [0x1f, 0x8b];

/** Whether the bytes start as every gzip stream does. */
export function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * The text of what a pull source read: gunzipped when the bytes are gzip (by
 * their magic number, not a name or a header: S3 objects of CloudTrail end
 * in .json.gz, others are gzip without saying so), then UTF-8. Neither may
 * exceed `maxBytes`. `what` names the input in the problems ("the object").
 */
export async function decodePulledBytes(bytes: Buffer, maxBytes: number, what: string): Promise<{ text: string; gzip: boolean }> {
  if (bytes.length > maxBytes) throw new UnreadableInputError(`${what} is ${bytes.length} bytes; the limit is ${maxBytes}`);
  const gzip = isGzip(bytes);
  let plain = bytes;
  if (gzip) {
    try {
      // maxOutputLength stops a small bomb from inflating past the limit in memory.
      plain = await gunzipAsync(bytes, { maxOutputLength: maxBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new UnreadableInputError(`${what} exceeds ${maxBytes} bytes once gunzipped`, { cause: err });
      throw new UnreadableInputError(`${what} is not valid gzip: ${(err as Error).message}`, { cause: err });
    }
  }
  let text: string;
  try {
    text = utf8.decode(plain);
  } catch (err) {
    throw new UnreadableInputError(`${what} is not valid UTF-8${gzip ? ' once gunzipped' : ''}`, { cause: err });
  }
  // A byte order mark is no part of the JSON.
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, gzip };
}

/**
 * The records of a text as ingest splits an HTTP body (a JSON object, a JSON
 * array, or NDJSON with each bad line its own rejection); an empty text holds
 * none. Text that is none of these is unreadable as a whole.
 */
export function splitPulledText(text: string, what: string): BodyRecord[] {
  if (text.trim() === '') return [];
  try {
    return splitRecords(text);
  } catch (err) {
    if (!(err instanceof MalformedBodyError)) throw err;
    // An empty JSON array is no event, and nothing wrong either.
    if (/^\[\s*\]$/.test(text.trim())) return [];
    throw new UnreadableInputError(`${what} is not JSON, a JSON array or NDJSON`, { cause: err });
  }
}
