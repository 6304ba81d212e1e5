import { InvalidArgumentError } from '@caracal/core';
import { KvRequest, MAX_VALUE_BYTES } from './kv-store';

const OPS = new Set([
  'get_counter',
  'increment_counter',
  'reset_counter',
  'get_string_set',
  'put_string_set',
  'add_to_string_set',
  'remove_from_string_set',
  'reset_string_set',
  'get_dictionary',
  'put_dictionary',
  'set_key_expiration',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown, op: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new InvalidArgumentError(`${op}: values must be a list of strings`);
  }
  return value as string[];
}

function expiry(value: unknown, op: string, required: boolean): number | null {
  if (value === undefined || value === null) {
    if (required) throw new InvalidArgumentError(`${op}: epochSeconds is required`);
    return null;
  }
  // Negative is allowed: below 1e9 it is relative, so -1 means "already expired".
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${op}: epochSeconds must be a number of seconds`);
  }
  return value;
}

/**
 * A request as it arrives from the interpreter (JSON written by customer-driven
 * code): checked here once, so that every store implementation gets well-formed
 * requests and bad ones fail the detection with a clear message.
 */
export function parseKvRequest(raw: unknown): KvRequest {
  if (!isRecord(raw) || typeof raw.op !== 'string' || !OPS.has(raw.op)) {
    throw new InvalidArgumentError(`unknown cache operation ${JSON.stringify(isRecord(raw) ? raw.op : raw)}`);
  }
  const op = raw.op;
  if (typeof raw.key !== 'string' || raw.key === '') throw new InvalidArgumentError(`${op}: the key must be a non-empty string`);
  const key = raw.key;
  switch (op) {
    case 'increment_counter':
      if (typeof raw.val !== 'number' || !Number.isSafeInteger(raw.val)) {
        throw new InvalidArgumentError('increment_counter: val must be an integer');
      }
      return { op, key, val: raw.val, epochSeconds: expiry(raw.epochSeconds, op, false) };
    case 'put_string_set':
      return { op, key, values: strings(raw.values, op), epochSeconds: expiry(raw.epochSeconds, op, false) };
    case 'add_to_string_set':
    case 'remove_from_string_set':
      return { op, key, values: strings(raw.values, op), epochSeconds: expiry(raw.epochSeconds, op, false) };
    case 'put_dictionary': {
      if (!isRecord(raw.value)) throw new InvalidArgumentError('put_dictionary: value must be a mapping');
      const bytes = Buffer.byteLength(JSON.stringify(raw.value));
      if (bytes > MAX_VALUE_BYTES) {
        throw new InvalidArgumentError(`put_dictionary: the value is ${bytes} bytes serialised, over the limit of ${MAX_VALUE_BYTES}`);
      }
      return { op, key, value: raw.value, epochSeconds: expiry(raw.epochSeconds, op, false) };
    }
    case 'set_key_expiration':
      return { op, key, epochSeconds: expiry(raw.epochSeconds, op, true) as number };
    default:
      return { op, key } as KvRequest;
  }
}
