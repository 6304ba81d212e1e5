import { InvalidArgumentError } from '@caracal/core';

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Where each element of a UTF-8 JSON array of objects starts and ends, found
 * by one pass over the bytes (strings and nesting followed, nothing parsed):
 * enough to cut the array into runs of whole events without JSON.parse. Only
 * the structure is checked here; Python's json.loads reads every chunk fully
 * and fails the request if it is not JSON.
 */
export function eventSpans(bytes: Uint8Array): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let i = 0;
  const n = bytes.length;
  while (i < n && isSpace(bytes[i])) i++;
  if (bytes[i] !== OPEN_BRACKET) throw new InvalidArgumentError('encoded events must be a JSON array');
  i++;
  let depth = 0;
  let start = 0;
  let inString = false;
  // At the top level: after '[' an event or ']', after ',' an event, after an event ',' or ']'.
  let expect: 'first' | 'event' | 'separator' = 'first';
  const notAnObject = (): never => {
    throw new InvalidArgumentError(`encoded event ${spans.length} is not a JSON object`);
  };
  for (; i < n; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (depth > 0) {
      if (byte === QUOTE) inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) {
          spans.push({ start, end: i + 1 });
          expect = 'separator';
        }
      }
      continue;
    }
    if (isSpace(byte)) continue;
    if (byte === OPEN_BRACE && expect !== 'separator') {
      start = i;
      depth = 1;
    } else if (byte === COMMA && expect === 'separator') {
      expect = 'event';
    } else if (byte === CLOSE_BRACKET && expect !== 'event') {
      for (i++; i < n; i++) if (!isSpace(bytes[i])) throw new InvalidArgumentError('encoded events have bytes after their array');
      return spans;
    } else {
      notAnObject();
    }
  }
  throw new InvalidArgumentError('encoded events end before their array does');
}

/** A JSON array of the events spans[from, to) of `bytes`, copied once. */
export function eventsArray(bytes: Uint8Array, spans: readonly { start: number; end: number }[], from: number, to: number): Buffer {
  if (from === 0 && to === spans.length) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = spans[from].start;
  const last = spans[to - 1].end;
  const out = Buffer.allocUnsafe(last - first + 2);
  out[0] = OPEN_BRACKET;
  out.set(bytes.subarray(first, last), 1);
  out[out.length - 1] = CLOSE_BRACKET;
  return out;
}

const COMMA_BYTES = Buffer.from(',');
const OPEN_BYTES = Buffer.from('[');
const CLOSE_BYTES = Buffer.from(']');

/**
 * The UTF-8 JSON array evaluateEncoded takes, from events already encoded
 * one by one (the values of a logs topic's messages): joined, not parsed.
 */
export function joinEncodedEvents(values: readonly Uint8Array[]): Buffer {
  const parts: Uint8Array[] = [OPEN_BYTES];
  values.forEach((v, i) => {
    if (i > 0) parts.push(COMMA_BYTES);
    parts.push(v);
  });
  parts.push(CLOSE_BYTES);
  return Buffer.concat(parts);
}
