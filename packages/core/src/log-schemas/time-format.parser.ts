import { NAMED_TIME_FORMATS, NamedTimeFormat } from './log-schema.types';

/**
 * Reads timestamps by the timeFormats of a log schema: rfc3339, unix,
 * unix_ms, unix_us, unix_ns, or a strftime-style pattern. Every result is a
 * UTC instant with millisecond precision (the lake's DateTime64(3)).
 */

type TimeReader = (value: unknown) => Date | undefined;

// DateTime64(3) holds 1900-01-01 to 2299-12-31; outside, the engine would
// store a clamped or wrapped time, so such values are not timestamps here.
const MIN_MS = Date.UTC(1900, 0, 1);
const MAX_MS = Date.UTC(2300, 0, 1) - 1;
// Longer digit strings are far outside the range anyway; the cap keeps BigInt
// from parsing a megabyte of digits.
const MAX_DIGITS = 24;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

interface TimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Digits after the decimal point, any length; only the first three count. */
  fraction: string;
  /** Minutes east of UTC. */
  offsetMinutes: number;
}

function inRange(ms: number): Date | undefined {
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS ? new Date(ms) : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fromParts(p: TimeParts): Date | undefined {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) return undefined;
  // 60 is a leap second; it is read as the next second, as JavaScript dates have none.
  if (p.hour > 23 || p.minute > 59 || p.second > 60) return undefined;
  const ms = Number(p.fraction.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, ms) - p.offsetMinutes * 60_000;
  return inRange(utc);
}

/** `Z`, `+02:00` or `+0200` to minutes east of UTC; undefined when not an offset. */
function offsetOf(text: string): number | undefined {
  if (text === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

// RFC 3339 allows a space in place of the T (section 5.6, note); both occur in audit logs.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/;

function readRfc3339(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = RFC3339.exec(value.trim());
  if (!m) return undefined;
  const offsetMinutes = offsetOf(m[8]);
  if (offsetMinutes === undefined) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  return fromParts({ year, month, day, hour, minute, second, fraction: m[7] ?? '', offsetMinutes });
}

/**
 * A number of `unit`s since the epoch (1 for seconds ... 1e9 for
 * nanoseconds), as a JSON number or a decimal string. Digits past the
 * millisecond are dropped.
 */
function readEpoch(unitsPerSecond: bigint): TimeReader {
  return (value) => {
    let text: string;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return undefined;
      text = String(value);
    } else if (typeof value === 'string') text = value.trim();
    else return undefined;
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m || m[2].length > MAX_DIGITS) return undefined;
    const sign = m[1] === '-' ? -1n : 1n;
    // Scaled to nanoseconds first, so that every unit truncates the same way.
    const fraction = BigInt((m[3] ?? '').slice(0, 9).padEnd(9, '0'));
    const nanosPerUnit = 1_000_000_000n / unitsPerSecond;
    const nanos = BigInt(m[2]) * nanosPerUnit + (fraction * nanosPerUnit) / 1_000_000_000n;
    return inRange(Number((sign * nanos) / 1_000_000n));
  };
}

// The lake's time text has no zone: it is UTC.
const LAKE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

function readLakeTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = LAKE_TIME.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  return fromParts({ year, month, day, hour, minute, second, fraction: m[7] ?? '', offsetMinutes: 0 });
}

const NAMED_READERS: Record<NamedTimeFormat, TimeReader> = {
  rfc3339: readRfc3339,
  lake: readLakeTime,
  unix: readEpoch(1n),
  unix_ms: readEpoch(1_000n),
  unix_us: readEpoch(1_000_000n),
  unix_ns: readEpoch(1_000_000_000n),
};

type Part = keyof TimeParts | 'monthName' | 'zoneName';

interface Directive {
  pattern: string;
  part?: Part;
  /** Shorthand for a sequence of other directives. */
  expands?: string;
}

const DIRECTIVES: Record<string, Directive> = {
  Y: { pattern: '\\d{4}', part: 'year' },
  m: { pattern: '\\d{2}', part: 'month' },
  b: { pattern: '[A-Za-z]{3}', part: 'monthName' },
  d: { pattern: '\\d{2}', part: 'day' },
  // ctime's day of the month: ' 6' or '16' (asctime, syslog and some vendors' text).
  e: { pattern: '[ \\d]?\\d', part: 'day' },
  // The weekday name is read past, not checked against the date: the date says which day it was.
  a: { pattern: '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)' },
  H: { pattern: '\\d{2}', part: 'hour' },
  M: { pattern: '\\d{2}', part: 'minute' },
  S: { pattern: '\\d{2}', part: 'second' },
  f: { pattern: '\\d{1,9}', part: 'fraction' },
  z: { pattern: 'Z|[+-]\\d{2}:?\\d{2}', part: 'offsetMinutes' },
  // Zone names are ambiguous (CST, IST) without a time zone database; only the unambiguous UTC ones are read.
  Z: { pattern: 'UTC|GMT|Z', part: 'zoneName' },
  F: { pattern: '', expands: '%Y-%m-%d' },
  T: { pattern: '', expands: '%H:%M:%S' },
  '%': { pattern: '%' },
};

/** The directives a custom time format may use, for messages. */
export const TIME_FORMAT_DIRECTIVES = Object.keys(DIRECTIVES).map((d) => `%${d}`);

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

interface CompiledPattern {
  regex: RegExp;
  parts: Part[];
}

/** A strftime-style pattern as a regular expression with one group per part; throws a message on a bad pattern. */
function compilePattern(format: string): CompiledPattern {
  // Pairwise, so that %%F stays a literal % followed by F.
  const expanded = format.replace(/%(.)/gs, (all, d: string) => DIRECTIVES[d]?.expands ?? all);
  let source = '^';
  const parts: Part[] = [];
  for (let i = 0; i < expanded.length; i++) {
    const ch = expanded[i];
    if (ch !== '%') {
      source += escapeRegExp(ch);
      continue;
    }
    const d = expanded[++i];
    if (d === undefined) throw new Error('ends with a lone %');
    const directive = DIRECTIVES[d];
    if (!directive) throw new Error(`unknown directive %${d}; use ${TIME_FORMAT_DIRECTIVES.join(' ')} or a named format (${NAMED_TIME_FORMATS.join(', ')})`);
    if (directive.part === undefined) {
      source += directive.pattern;
      continue;
    }
    if (parts.includes(directive.part)) throw new Error(`%${d} appears twice`);
    parts.push(directive.part);
    source += `(${directive.pattern})`;
  }
  const has = (p: Part) => parts.includes(p);
  if (!has('year') || !(has('month') || has('monthName')) || !has('day')) throw new Error('needs a full date: %Y, %m (or %b) and %d (or %e)');
  if (has('month') && has('monthName')) throw new Error('has both %m and %b');
  if (has('offsetMinutes') && has('zoneName')) throw new Error('has both %z and %Z');
  if (has('fraction') && !has('second')) throw new Error('has %f without %S');
  return { regex: new RegExp(`${source}$`), parts };
}

function readPattern(compiled: CompiledPattern): TimeReader {
  return (value) => {
    if (typeof value !== 'string') return undefined;
    const m = compiled.regex.exec(value.trim());
    if (!m) return undefined;
    const p: TimeParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, fraction: '', offsetMinutes: 0 };
    for (let i = 0; i < compiled.parts.length; i++) {
      const part = compiled.parts[i];
      const text = m[i + 1];
      if (part === 'fraction') p.fraction = text;
      else if (part === 'monthName') p.month = MONTHS.indexOf(text.toLowerCase()) + 1;
      else if (part === 'zoneName') p.offsetMinutes = 0;
      else if (part === 'offsetMinutes') {
        const offset = offsetOf(text);
        if (offset === undefined) return undefined;
        p.offsetMinutes = offset;
      } else p[part] = Number(text);
    }
    return fromParts(p);
  };
}

const readers = new Map<string, TimeReader>();

function readerFor(format: string): TimeReader {
  let reader = readers.get(format);
  if (!reader) {
    reader = (NAMED_READERS as Record<string, TimeReader>)[format] ?? readPattern(compilePattern(format));
    readers.set(format, reader);
  }
  return reader;
}

/** What is wrong with a timeFormats entry, or undefined when it can be used. */
export function timeFormatProblem(format: string): string | undefined {
  if ((NAMED_TIME_FORMATS as readonly string[]).includes(format)) return undefined;
  if (!format.includes('%')) return `"${format}" is neither a named format (${NAMED_TIME_FORMATS.join(', ')}) nor a strftime-style pattern`;
  try {
    readerFor(format);
    return undefined;
  } catch (err) {
    return `"${format}" ${(err as Error).message}`;
  }
}

/**
 * The instant a value stands for, by the first of `formats` that reads it;
 * undefined when none does. Formats must have passed timeFormatProblem (the
 * schema loader checks them).
 */
export function parseTimestamp(value: unknown, formats: readonly string[]): Date | undefined {
  for (const format of formats) {
    const date = readerFor(format)(value);
    if (date) return date;
  }
  return undefined;
}
