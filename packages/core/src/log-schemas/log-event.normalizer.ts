import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { EXTRA_FIELDS, NormalizedEvent, STANDARD_EVENT_FIELDS, toClickHouseTime } from '../messages/event.types';
import { FieldSchema, Indicator, LogTypeSchema, ValueSchema } from './log-schema.types';
import { parseTimestamp } from './time-format.parser';

/** What is wrong with one field of an event, named by its path. */
export interface FieldProblem {
  field: string;
  problem: string;
}

export interface NormalizeContext {
  tenantId: string;
  sourceId: string;
  sourceLabel: string;
  parseTime: Date;
}

export type NormalizeResult = { ok: true; event: NormalizedEvent } | { ok: false; problems: FieldProblem[] };

/**
 * Deeper events are refused: no real audit log nests this far, and the bound
 * keeps every walk below (and the lake's JSON columns) cheap.
 */
export const MAX_EVENT_DEPTH = 32;
// Bounds the walk over a free-form value so a hostile body cannot make
// indicator extraction the expensive part of ingest.
const MAX_WALK_NODES = 2000;
// An event wrong everywhere (a huge array of bad items) still gets a short answer.
const MAX_PROBLEMS = 50;
const MAX_EMAIL_LENGTH = 320;
const DECIMAL_INTEGER = /^-?\d{1,16}$/;
const EMAIL = /^[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+$/;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own keys only: a field named like an Object.prototype member (constructor, toString) must not read the prototype's. */
function ownValue(obj: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** A value in a message: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** Iterative, so that the check itself cannot overflow the stack. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Key order must not change the id: a client that re-serialises a retry still gets the same p_row_id.
 * The text must never change (ids of events already in the lake depend on it); it is built by
 * appending rather than with map and join, which made it the largest cost of ingest's own code.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  const obj = value as Json;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += (i === 0 ? '' : ',') + JSON.stringify(keys[i]) + ':' + canonicalJson(obj[keys[i]]);
  return out + '}';
}

class Normalization {
  readonly problems: FieldProblem[] = [];
  readonly indicators: Record<Indicator, Set<string>> = {
    ip: new Set(),
    username: new Set(),
    email: new Set(),
    trace_id: new Set(),
    actor_id: new Set(),
  };
  /** The column text of the isEventTime field, once read: p_event_time. */
  eventTimeText: string | undefined;

  problem(field: string, problem: string): undefined {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ field, problem });
    return undefined;
  }

  /** Adds a value to an indicator when it has the indicator's shape. */
  indicate(indicator: Indicator, value: string): void {
    switch (indicator) {
      case 'ip': {
        const ip = value.trim();
        if (isIP(ip) !== 0) this.indicators.ip.add(ip);
        return;
      }
      case 'email':
        if (value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value)) this.indicators.email.add(value.toLowerCase());
        return;
      default:
        if (value.length > 0) this.indicators[indicator].add(value);
    }
  }

  /** The strings of a free-form value that look like the indicators', in a bounded walk. */
  scan(value: unknown, indicators: readonly Indicator[]): void {
    if (indicators.length === 0) return;
    const stack: unknown[] = [value];
    let seen = 0;
    while (stack.length > 0 && seen++ < MAX_WALK_NODES) {
      const v = stack.pop();
      if (typeof v === 'string') {
        for (const indicator of indicators) this.indicate(indicator, v);
      } else if (Array.isArray(v)) {
        for (const item of v) stack.push(item);
      } else if (isObject(v)) {
        for (const item of Object.values(v)) stack.push(item);
      }
    }
  }
}

/**
 * One present (non-null) value checked against its schema and normalized;
 * undefined when it has a problem, which is recorded under `path`.
 */
function readValue(schema: ValueSchema, value: unknown, path: string, n: Normalization, required: boolean): unknown {
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return n.problem(path, required ? 'must be a non-empty string' : 'must be a string');
      if (required && value.length === 0) return n.problem(path, 'must be a non-empty string');
      const v = schema.validate;
      if (v?.allow && !v.allow.includes(value)) return n.problem(path, `must be one of ${v.allow.join(', ')}; got ${shown(value)}`);
      if (v?.deny?.includes(value)) return n.problem(path, `must not be ${shown(value)}`);
      if (v?.ip) {
        const version = isIP(value.trim());
        const ok = v.ip === 'any' ? version !== 0 : version === (v.ip === 'ipv4' ? 4 : 6);
        if (!ok) return n.problem(path, `must be an ${v.ip === 'any' ? 'IP' : v.ip === 'ipv4' ? 'IPv4' : 'IPv6'} address; got ${shown(value)}`);
      }
      for (const indicator of schema.indicators) n.indicate(indicator, value);
      return value;
    }
    case 'int':
    case 'bigint': {
      // Vendors quote ids that may outgrow a double (GitHub's, Okta's); the digits are the same number.
      const number = typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value;
      const ok =
        typeof number === 'number' &&
        (schema.type === 'int' ? Number.isInteger(number) && number >= -2_147_483_648 && number <= 2_147_483_647 : Number.isSafeInteger(number));
      if (!ok) {
        return n.problem(
          path,
          schema.type === 'int' ? 'must be a whole number from -2147483648 to 2147483647 (or its digits as a string)' : 'must be a whole number within ±9007199254740991 (or its digits as a string)',
        );
      }
      for (const indicator of schema.indicators) n.indicate(indicator, String(number));
      return number;
    }
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? value : n.problem(path, 'must be a number');
    case 'boolean':
      return typeof value === 'boolean' ? value : n.problem(path, 'must be true or false');
    case 'timestamp': {
      const formats = schema.timeFormats ?? [];
      const date = parseTimestamp(value, formats);
      if (!date) return n.problem(path, `must be a timestamp (${formats.join(' or ')}) from 1900 to 2299; got ${shown(value)}`);
      const text = toClickHouseTime(date);
      if ((schema as Partial<FieldSchema>).isEventTime) n.eventTimeText = text;
      return text;
    }
    case 'json':
      if (!isObject(value)) return n.problem(path, 'must be a JSON object');
      n.scan(value, schema.indicators);
      return value;
    case 'object': {
      if (!isObject(value)) return n.problem(path, 'must be an object');
      // The raw object is kept, undeclared keys too (the column is JSON); declared children are checked and normalized in place.
      const out: Json = { ...value };
      for (const child of schema.fields ?? []) {
        const childPath = `${path}.${child.name}`;
        const v = ownValue(value, child.name);
        if (v === undefined || v === null) {
          if (child.required) n.problem(childPath, 'is required');
          continue;
        }
        const normalized = readValue(child, v, childPath, n, child.required);
        if (normalized !== undefined) out[child.name] = normalized;
      }
      n.scan(value, schema.indicators);
      return out;
    }
    case 'array': {
      if (!Array.isArray(value)) return n.problem(path, 'must be an array');
      const element = schema.element!;
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const normalized = readValue(element, value[i], `${path}[${i}]`, n, false);
        if (normalized === undefined && n.problems.length >= MAX_PROBLEMS) break;
        out.push(normalized);
      }
      return out;
    }
  }
}

// One request's events share its parse time: its text is made once, not per event.
const parseTimeTexts = new WeakMap<Date, { ms: number; text: string }>();
function parseTimeText(date: Date): string {
  const ms = date.getTime();
  const known = parseTimeTexts.get(date);
  if (known !== undefined && known.ms === ms) return known.text;
  const text = toClickHouseTime(date);
  parseTimeTexts.set(date, { ms, text });
  return text;
}

// The standard fields Caracal sets: a sender's own value for one of them is
// not the event's (p_tenant_id above all), so it is not kept among the extras.
const STANDARD_FIELDS = new Set([...STANDARD_EVENT_FIELDS, EXTRA_FIELDS]);

const declaredNames = new WeakMap<LogTypeSchema, ReadonlySet<string>>();

/**
 * The top-level fields the schema does not declare, as they came (nulls
 * included: a rule may test for the key), or undefined when there are none.
 */
function extraFields(schema: LogTypeSchema, raw: Json): Json | undefined {
  let declared = declaredNames.get(schema);
  if (!declared) {
    declared = new Set(schema.fields.map((f) => f.name));
    declaredNames.set(schema, declared);
  }
  let extra: Json | undefined;
  for (const key of Object.keys(raw)) {
    if (declared.has(key) || STANDARD_FIELDS.has(key) || raw[key] === undefined) continue;
    extra ??= {};
    // Defined, not assigned: a sent "__proto__" key is a field like any other, not a prototype.
    Object.defineProperty(extra, key, { value: raw[key], enumerable: true, writable: true, configurable: true });
  }
  return extra;
}

/**
 * Validates one raw event against its log type's schema and adds the p_
 * standard fields. Declared top-level fields are the table's columns; the
 * others are kept as they came in p_extra_fields. Never throws, whatever
 * JSON it is given: every problem is returned with the path of its field
 * (actor.id, XForwardedFor[2]).
 */
export function normalizeEvent(schema: LogTypeSchema, raw: unknown, ctx: NormalizeContext): NormalizeResult {
  if (!isObject(raw)) return { ok: false, problems: [{ field: '(event)', problem: 'must be a JSON object' }] };
  if (nestedDeeperThan(raw, MAX_EVENT_DEPTH)) return { ok: false, problems: [{ field: '(event)', problem: `is nested deeper than ${MAX_EVENT_DEPTH} levels` }] };

  const n = new Normalization();
  const body: Json = {};
  for (const field of schema.fields) {
    const value = ownValue(raw, field.name);
    if (value === undefined || value === null) {
      if (field.required) n.problem(field.name, 'is required');
      // Left as it came, absent or null, so a rule sees what was sent (event.get(name, default)
      // differs on the two); the lake stores the column's default for either: NULL, {} or [].
      else if (value === null) body[field.name] = null;
      continue;
    }
    body[field.name] = readValue(field, value, field.name, n, field.required);
  }
  if (n.problems.length > 0) return { ok: false, problems: n.problems };
  const extra = extraFields(schema, raw);

  const rowId = createHash('sha256').update(`${ctx.tenantId}\n${ctx.sourceId}\n${canonicalJson(raw)}`).digest('hex').slice(0, 32);
  return {
    ok: true,
    event: {
      p_log_type: schema.logType,
      p_tenant_id: ctx.tenantId,
      p_row_id: rowId,
      p_event_time: n.eventTimeText ?? parseTimeText(ctx.parseTime),
      p_parse_time: parseTimeText(ctx.parseTime),
      p_source_id: ctx.sourceId,
      p_source_label: ctx.sourceLabel,
      p_schema_version: schema.version,
      p_any_ip_addresses: [...n.indicators.ip],
      p_any_usernames: [...n.indicators.username],
      p_any_emails: [...n.indicators.email],
      p_any_trace_ids: [...n.indicators.trace_id],
      p_any_actor_ids: [...n.indicators.actor_id],
      ...body,
      ...(extra && { p_extra_fields: extra }),
    },
  };
}
