import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { NormalizedEvent, toClickHouseTime } from '@caracal/core';
import { FieldProblem } from './ingest.errors';

export interface NormalizeContext {
  tenantId: string;
  sourceId: string;
  sourceLabel: string;
  parseTime: Date;
}

export type NormalizeResult = { ok: true; event: NormalizedEvent } | { ok: false; problems: FieldProblem[] };

export const PANTHER_AUDIT_SCHEMA_VERSION = 1;
const ACTION_RESULTS = new Set(['SUCCEEDED', 'FAILED', 'PARTIALLY_FAILED']);
const ACTOR_TYPES = new Set(['USER', 'TOKEN']);
const EMAIL = /^[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+$/;
// Bounds the walk over free-form actionParams so a hostile body cannot make
// indicator extraction the expensive part of ingest.
const MAX_WALK_NODES = 2000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `2022-04-22 15:39:55.358` (UTC) or RFC 3339. */
export function parseAuditTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const frac = m[3] ? m[3].slice(0, 4).padEnd(4, '0') : '.000';
  const d = new Date(`${m[1]}T${m[2]}${frac}${m[4] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Key order must not change the id: a client that re-serialises a retry still gets the same p_row_id. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function collectEmails(value: unknown, out: Set<string>): void {
  const stack: unknown[] = [value];
  let seen = 0;
  while (stack.length > 0 && seen++ < MAX_WALK_NODES) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.length <= 320 && EMAIL.test(v)) out.add(v.toLowerCase());
    } else if (Array.isArray(v)) stack.push(...v);
    else if (isObject(v)) stack.push(...Object.values(v));
  }
}

/**
 * Validates one raw Panther.Audit event and adds the p_ standard fields.
 * Unknown top-level fields are dropped, as the log type's schema defines the
 * table's columns.
 */
export function normalizePantherAudit(raw: unknown, ctx: NormalizeContext): NormalizeResult {
  const problems: FieldProblem[] = [];
  if (!isObject(raw)) return { ok: false, problems: [{ field: '(event)', problem: 'must be a JSON object' }] };

  const requireString = (field: string): string | undefined => {
    const v = raw[field];
    if (v === undefined || v === null) problems.push({ field, problem: 'is required' });
    else if (typeof v !== 'string' || v.length === 0) problems.push({ field, problem: 'must be a non-empty string' });
    else return v;
    return undefined;
  };
  const optional = <T>(field: string, check: (v: unknown) => v is T, expected: string): T | null => {
    const v = raw[field];
    if (v === undefined || v === null) return null;
    if (!check(v)) {
      problems.push({ field, problem: `must be ${expected}` });
      return null;
    }
    return v;
  };

  const actionName = requireString('actionName');
  const actionResult = requireString('actionResult');
  if (actionResult !== undefined && !ACTION_RESULTS.has(actionResult)) {
    problems.push({ field: 'actionResult', problem: `must be one of SUCCEEDED, FAILED, PARTIALLY_FAILED; got "${actionResult}"` });
  }
  const pantherVersion = requireString('pantherVersion');

  const actor = raw.actor;
  if (actor === undefined || actor === null) problems.push({ field: 'actor', problem: 'is required' });
  else if (!isObject(actor)) problems.push({ field: 'actor', problem: 'must be an object' });
  else {
    if (typeof actor.id !== 'string' || actor.id.length === 0) problems.push({ field: 'actor.id', problem: 'must be a non-empty string' });
    if (typeof actor.type !== 'string' || !ACTOR_TYPES.has(actor.type)) problems.push({ field: 'actor.type', problem: 'must be USER or TOKEN' });
    if (actor.name !== undefined && actor.name !== null && typeof actor.name !== 'string') problems.push({ field: 'actor.name', problem: 'must be a string' });
    if (actor.attributes !== undefined && actor.attributes !== null && !isObject(actor.attributes)) {
      problems.push({ field: 'actor.attributes', problem: 'must be an object' });
    }
  }

  let eventTime: Date | undefined;
  if (raw.timestamp === undefined || raw.timestamp === null) problems.push({ field: 'timestamp', problem: 'is required' });
  else {
    eventTime = parseAuditTimestamp(raw.timestamp);
    if (!eventTime) {
      problems.push({ field: 'timestamp', problem: `must look like "2022-04-22 15:39:55.358" (UTC) or RFC 3339; got ${JSON.stringify(raw.timestamp)}` });
    }
  }

  const isString = (v: unknown): v is string => typeof v === 'string';
  const actionDescription = optional('actionDescription', isString, 'a string');
  const actionParams = optional('actionParams', isObject, 'an object');
  const actionDetails = optional('actionDetails', isObject, 'an object');
  const userAgent = optional('userAgent', isString, 'a string');
  const errors = optional(
    'errors',
    (v): v is Record<string, unknown>[] => Array.isArray(v) && v.every(isObject),
    'an array of objects such as {"message": "..."}',
  );
  const sourceIP = optional('sourceIP', (v): v is string => typeof v === 'string' && isIP(v) !== 0, 'an IP address');
  const xff = optional(
    'XForwardedFor',
    (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && isIP(x.trim()) !== 0),
    'an array of IP addresses',
  );

  if (problems.length > 0) return { ok: false, problems };
  const a = actor as Record<string, unknown>;
  const attributes = isObject(a.attributes) ? a.attributes : {};

  const ips = new Set<string>();
  if (sourceIP) ips.add(sourceIP);
  for (const ip of xff ?? []) ips.add(ip.trim());
  const emails = new Set<string>();
  if (typeof attributes.email === 'string' && EMAIL.test(attributes.email)) emails.add(attributes.email.toLowerCase());
  collectEmails(actionParams, emails);

  const body = {
    actionName: actionName!,
    actionResult: actionResult!,
    actor: a,
    timestamp: toClickHouseTime(eventTime!),
    pantherVersion: pantherVersion!,
    actionDescription,
    actionParams: actionParams ?? {},
    actionDetails: actionDetails ?? {},
    errors: errors ?? [],
    sourceIP,
    XForwardedFor: xff ?? [],
    userAgent,
  };
  const rowId = createHash('sha256')
    .update(`${ctx.tenantId}\n${ctx.sourceId}\n${canonicalJson(raw)}`)
    .digest('hex')
    .slice(0, 32);

  return {
    ok: true,
    event: {
      p_log_type: 'Panther.Audit',
      p_tenant_id: ctx.tenantId,
      p_row_id: rowId,
      p_event_time: toClickHouseTime(eventTime!),
      p_parse_time: toClickHouseTime(ctx.parseTime),
      p_source_id: ctx.sourceId,
      p_source_label: ctx.sourceLabel,
      p_schema_version: PANTHER_AUDIT_SCHEMA_VERSION,
      p_any_ip_addresses: [...ips],
      p_any_usernames: typeof a.name === 'string' && a.name ? [a.name] : [],
      p_any_emails: [...emails],
      p_any_trace_ids: [a.id as string],
      p_any_actor_ids: [a.id as string],
      ...body,
    },
  };
}
