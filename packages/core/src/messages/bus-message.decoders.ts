import { ALERT_STATUSES, ALERT_TYPES, AlertDeliveryRecord, AlertEventRecord, AlertRecord, RuleError, RuleMatch } from './alert.types';
import { CaracalError, CaracalErrorOptions } from '../kernel/errors';
import { NormalizedEvent, SEVERITIES } from './event.types';
import { IngestRejection } from './ingest-rejection.types';
import { TenantDetectionRecord, tenantDetectionRecordProblem } from './detection.types';

/**
 * A message whose content is not what its topic carries. Reading it again
 * fails the same way, so it is not retriable: the consumer sets it aside (the
 * dead-letter topic) instead of holding up the messages behind it.
 */
export class MessageDecodeError extends CaracalError {
  constructor(messageType: string, problem: string, options: CaracalErrorOptions = {}) {
    super('INVALID_ARGUMENT', `not a valid ${messageType}: ${problem}`, { ...options, retriable: false, details: { messageType, ...options.details } });
    this.name = 'MessageDecodeError';
  }
}

type Json = Record<string, unknown>;

// ClickHouse DateTime64 text as toClickHouseTime writes it, or ISO 8601: the writer inserts with best_effort parsing.
const TIME_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const OFFSET_TEXT = /^\d{1,19}$/;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v;
}

/**
 * Checks the fields of one object of a message, naming the path of the
 * first that is wrong. Values stay where they are: a decoded message is the
 * parsed JSON, checked, not a copy.
 */
class Fields {
  constructor(
    readonly type: string,
    readonly value: Json,
    private readonly path = '',
  ) {}

  private fail(key: string, problem: string): never {
    throw new MessageDecodeError(this.type, `${this.path}${key} ${problem}`);
  }

  private get(key: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.value, key) ? this.value[key] : undefined;
  }

  string(key: string, options: { nonEmpty?: boolean } = {}): string {
    const v = this.get(key);
    if (typeof v !== 'string') this.fail(key, `must be a string, got ${describe(v)}`);
    if (options.nonEmpty && v.length === 0) this.fail(key, 'must not be empty');
    return v;
  }

  time(key: string): string {
    const v = this.string(key);
    if (!TIME_TEXT.test(v)) this.fail(key, 'must be a UTC time such as "2024-01-31 12:00:00.000"');
    return v;
  }

  offset(key: string): string {
    const v = this.string(key);
    if (!OFFSET_TEXT.test(v)) this.fail(key, 'must be an offset (digits)');
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const v = this.get(key);
    if (!allowed.includes(v as T)) this.fail(key, `must be one of ${allowed.join(', ')}`);
    return v as T;
  }

  number(key: string, options: { integer?: boolean } = {}): number {
    const v = this.get(key);
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, `must be a number, got ${describe(v)}`);
    if (options.integer && !Number.isSafeInteger(v)) this.fail(key, 'must be a whole number');
    return v;
  }

  boolean(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== 'boolean') this.fail(key, `must be true or false, got ${describe(v)}`);
    return v;
  }

  strings(key: string): string[] {
    const v = this.get(key);
    if (!Array.isArray(v)) this.fail(key, `must be a list of strings, got ${describe(v)}`);
    const bad = v.findIndex((item) => typeof item !== 'string');
    if (bad >= 0) this.fail(`${key}[${bad}]`, `must be a string, got ${describe(v[bad])}`);
    return v as string[];
  }

  /** A list of strings, or null. */
  nullableStrings(key: string): string[] | null {
    return this.get(key) === null ? null : this.strings(key);
  }

  /** An object of lists of strings (a rule's reports). */
  stringLists(key: string): Record<string, string[]> {
    const o = this.object(key);
    for (const k of Object.keys(o.value)) o.strings(k);
    return o.value as Record<string, string[]>;
  }

  object(key: string): Fields {
    const v = this.get(key);
    if (!isObject(v)) this.fail(key, `must be an object, got ${describe(v)}`);
    return new Fields(this.type, v, `${this.path}${key}.`);
  }
}

/** The message's JSON object; what cannot be parsed into one fails here. */
function parseObject(type: string, value: Buffer): Fields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    throw new MessageDecodeError(type, `the value is not JSON (${(err as Error).message})`);
  }
  if (!isObject(parsed)) throw new MessageDecodeError(type, `the value must be a JSON object, got ${describe(parsed)}`);
  return new Fields(type, parsed);
}

function checkEvent(f: Fields): NormalizedEvent {
  f.string('p_log_type', { nonEmpty: true });
  f.string('p_tenant_id', { nonEmpty: true });
  f.string('p_row_id', { nonEmpty: true });
  f.time('p_event_time');
  f.time('p_parse_time');
  f.string('p_source_id');
  f.string('p_source_label');
  f.number('p_schema_version', { integer: true });
  for (const key of ['p_any_ip_addresses', 'p_any_usernames', 'p_any_emails', 'p_any_trace_ids', 'p_any_actor_ids']) f.strings(key);
  return f.value as NormalizedEvent;
}

/** What rule matches and rule errors share: the tenant, the rule's settings, the event and where it was read. */
function checkRuleOutput(f: Fields): void {
  const tenantId = f.string('tenantId', { nonEmpty: true });
  const rule = f.object('rule');
  rule.string('ruleId', { nonEmpty: true });
  rule.oneOf('ruleSeverity', SEVERITIES);
  rule.number('dedupPeriodMinutes');
  rule.number('threshold');
  rule.boolean('createAlert');
  rule.strings('outputIds');
  rule.strings('tags');
  rule.stringLists('reports');
  // Absent in outputs of rules-workers from before scheduled rules: a rule.
  if (rule.value.scheduled !== undefined) rule.boolean('scheduled');
  if (rule.value.correlation !== undefined) rule.boolean('correlation');
  const event = checkEvent(f.object('event'));
  // The alert stage keys state by the output's tenant and writes the event's: they must agree.
  if (event.p_tenant_id !== tenantId) throw new MessageDecodeError(f.type, "event.p_tenant_id is not the output's tenantId");
  const source = f.object('source');
  source.string('topic', { nonEmpty: true });
  source.number('partition', { integer: true });
  source.offset('offset');
  f.number('matchedAtMs', { integer: true });
}

/** A normalized event of a logs topic. */
export function decodeNormalizedEvent(value: Buffer): NormalizedEvent {
  return checkEvent(parseObject('normalized event', value));
}

/** A message of the rule-matches topic. */
export function decodeRuleMatch(value: Buffer): RuleMatch {
  const f = parseObject('rule match', value);
  checkRuleOutput(f);
  f.string('title');
  f.string('dedup');
  f.oneOf('severity', SEVERITIES);
  f.object('alertContext');
  f.string('description');
  f.string('reference');
  f.string('runbook');
  f.nullableStrings('destinations');
  f.strings('auxErrors');
  return f.value as unknown as RuleMatch;
}

/** A message of the rule-errors topic. */
export function decodeRuleError(value: Buffer): RuleError {
  const f = parseObject('rule error', value);
  checkRuleOutput(f);
  f.string('errorType');
  f.string('message');
  f.string('traceback');
  return f.value as unknown as RuleError;
}

/** A message of the alerts topic (not a tombstone: an empty value is the caller's to skip). */
export function decodeAlertRecord(value: Buffer): AlertRecord {
  const f = parseObject('alert record', value);
  for (const key of ['alertId', 'tenantId', 'ruleId', 'dedupKey']) f.string(key, { nonEmpty: true });
  for (const key of ['dedup', 'title', 'description', 'reference', 'runbook', 'errorType', 'errorMessage']) f.string(key);
  f.oneOf('type', ALERT_TYPES);
  f.oneOf('severity', SEVERITIES);
  f.oneOf('ruleSeverity', SEVERITIES);
  f.oneOf('initialStatus', ALERT_STATUSES);
  for (const key of ['logTypes', 'tags', 'outputIds', 'auxErrors']) f.strings(key);
  for (const key of ['eventCount', 'threshold', 'dedupPeriodMinutes', 'version']) f.number(key, { integer: true });
  for (const key of ['firstEventTime', 'lastEventTime', 'createdAt', 'updatedAt']) f.time(key);
  if (f.value.thresholdReachedAt !== null) f.time('thresholdReachedAt');
  if (f.value.thresholdReachedVersion !== null) f.number('thresholdReachedVersion', { integer: true });
  f.object('alertContext');
  f.stringLists('reports');
  f.nullableStrings('destinationOverride');
  const offsets = f.object('sourceOffsets');
  for (const key of Object.keys(offsets.value)) offsets.offset(key);
  return f.value as unknown as AlertRecord;
}

/** A message of the alert-events topic: a matched or errored event with its alert columns. */
export function decodeAlertEventRecord(value: Buffer): AlertEventRecord {
  const f = parseObject('alert event record', value);
  f.oneOf('kind', ['match', 'error']);
  f.string('logType', { nonEmpty: true });
  checkEvent(f.object('row'));
  return f.value as unknown as AlertEventRecord;
}

/** A message of the alert-deliveries topic. */
export function decodeAlertDeliveryRecord(value: Buffer): AlertDeliveryRecord {
  const f = parseObject('alert delivery record', value);
  for (const key of ['tenantId', 'alertId', 'destinationId']) f.string(key, { nonEmpty: true });
  f.string('destinationType');
  f.oneOf('outcome', ['DELIVERED', 'FAILED', 'SUPPRESSED']);
  f.number('attempts', { integer: true });
  f.number('httpStatus', { integer: true });
  f.string('error');
  f.time('attemptedAt');
  return f.value as unknown as AlertDeliveryRecord;
}

/** A message of the ingest dead-letter topic: input ingest refused. */
export function decodeIngestRejection(value: Buffer): IngestRejection {
  const f = parseObject('ingest rejection', value);
  f.string('p_tenant_id', { nonEmpty: true });
  f.string('p_row_id', { nonEmpty: true });
  f.time('p_parse_time');
  for (const key of ['p_source_id', 'p_source_label', 'p_log_type', 'request_id', 'raw']) f.string(key);
  f.number('event_index', { integer: true });
  f.oneOf('raw_encoding', ['utf8', 'base64']);
  f.boolean('raw_truncated');
  const problems = f.value.problems;
  if (!Array.isArray(problems)) throw new MessageDecodeError('ingest rejection', `problems must be a list, got ${describe(problems)}`);
  problems.forEach((p, i) => {
    if (!isObject(p)) throw new MessageDecodeError('ingest rejection', `problems[${i}] must be an object, got ${describe(p)}`);
    const problem = new Fields('ingest rejection', p, `problems[${i}].`);
    problem.string('field');
    problem.string('problem');
  });
  return f.value as unknown as IngestRejection;
}

/** A message of the detections topic under `key` (a record, not a tombstone: an empty value is the caller's to handle). */
export function decodeTenantDetectionRecord(value: Buffer, key: string | null): TenantDetectionRecord {
  const f = parseObject('tenant detection record', value);
  const problem = tenantDetectionRecordProblem(f.value, key);
  if (problem !== undefined) throw new MessageDecodeError('tenant detection record', problem);
  return f.value as unknown as TenantDetectionRecord;
}
