import { CaracalError } from './errors';

// ES2024 methods, present in every Node Caracal runs on; reached through this type so the
// code compiles whether or not the build's lib declares them.
interface Es2024String {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * Past this, a value is refused rather than walked: ingest refuses events
 * nested deeper than 32 levels, so only a message that never came through
 * ingest can reach it, and recursion must not be what fails on it.
 */
export const MAX_REPAIR_DEPTH = 256;

/** Whether `text` has no lone UTF-16 surrogate, so it can be written as UTF-8 and read back the same. */
export function isWellFormedText(text: string): boolean {
  return (text as unknown as Es2024String).isWellFormed();
}

/** `text` with each lone surrogate replaced by U+FFFD. */
export function wellFormedText(text: string): string {
  return (text as unknown as Es2024String).toWellFormed();
}

export interface RepairedValue<T> {
  value: T;
  /** Strings (values and object keys) that held a lone surrogate. */
  repaired: number;
}

/**
 * A JSON-like value with every lone surrogate, in strings and in object keys,
 * replaced by U+FFFD. JSON.stringify writes a lone surrogate as the escape
 * "\ud800", which ClickHouse refuses to parse, so one such string would fail
 * every insert of the batch it is in. The value comes back unchanged (the
 * same object) when nothing needed repair; otherwise only the containers
 * that hold a repaired string are copied.
 */
export function repairLoneSurrogates<T>(value: T): RepairedValue<T> {
  const count = { n: 0 };
  return { value: repair(value, count, 0) as T, repaired: count.n };
}

function repairString(text: string, count: { n: number }): string {
  if (isWellFormedText(text)) return text;
  count.n++;
  return wellFormedText(text);
}

function repair(value: unknown, count: { n: number }, depth: number): unknown {
  if (typeof value === 'string') return repairString(value, count);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_REPAIR_DEPTH) {
    throw new CaracalError('INVALID_ARGUMENT', `the value is nested deeper than ${MAX_REPAIR_DEPTH} levels`);
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = repair(value[i], count, depth + 1);
      if (item !== value[i]) {
        out ??= value.slice();
        out[i] = item;
      }
    }
    return out ?? value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  // Only what JSON.parse makes; a Date or a Buffer is not walked.
  if (proto !== Object.prototype && proto !== null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  let changed = false;
  const repaired = entries.map(([key, item]): [string, unknown] => {
    const k = repairString(key, count);
    const v = repair(item, count, depth + 1);
    if (k !== key || v !== item) changed = true;
    return [k, v];
  });
  // fromEntries defines own properties, so a "__proto__" key stays a plain key.
  return changed ? Object.fromEntries(repaired) : value;
}
