import type { QueryKey, QuerySchedule, SavedQuerySpec, ScheduledQuerySpec } from './content.types';
import { cronExpressionProblem } from './cron-expression';
import { SpecReader } from './spec-reader';

// One key per query language in the reference format; a spec has at least one
// (the reference's schemas for both query kinds; PantherFlowQuery is not a key there).
const SAVED_QUERY_KEYS: readonly QueryKey[] = ['Query', 'SnowflakeQuery', 'AthenaQuery', 'DatabricksQuery'];
const SCHEDULED_QUERY_KEYS: readonly QueryKey[] = SAVED_QUERY_KEYS;
const COMMON_KEYS = ['AnalysisType', 'QueryName', 'Description', 'Tags', 'Lookback', 'LookbackWindowSeconds', 'BaseVersion'];
const EMAIL_CONFIG_KEYS = new Set(['Recipients', 'SendEmpty', 'PreferAttachment']);
const SCHEDULE_KEYS = new Set(['CronExpression', 'RateMinutes', 'TimeoutMinutes']);

function parseQueryText(reader: SpecReader, keys: readonly QueryKey[]): { query: string; queryKey: QueryKey } | undefined {
  const present = keys.filter((key) => reader.has(key));
  if (present.length === 0) {
    reader.fail('Query', `required key is missing (or one of ${keys.filter((k) => k !== 'Query').join(', ')})`);
    return undefined;
  }
  let found: { query: string; queryKey: QueryKey } | undefined;
  for (const queryKey of present) {
    const query = reader.string(queryKey, true);
    if (query !== undefined && found === undefined) found = { query, queryKey };
  }
  return found;
}

export function parseSchedule(reader: SpecReader): QuerySchedule | undefined {
  if (!reader.has('Schedule')) {
    reader.fail('Schedule', 'required key is missing');
    return undefined;
  }
  const schedule = reader.nested(reader.raw('Schedule'), 'Schedule.');
  if (!schedule) return undefined;
  const before = schedule.errors.length;
  schedule.rejectUnknownKeys(SCHEDULE_KEYS);
  // Stricter than the reference tool (any integer): a query given no time cannot run.
  const timeoutMinutes = schedule.integer('TimeoutMinutes', { required: true, min: 1 });
  const hasCron = schedule.has('CronExpression');
  const hasRate = schedule.has('RateMinutes');
  // The reference tool refuses both as well as neither (its templates/ example has both).
  if (hasCron === hasRate) {
    schedule.fail(undefined, hasCron ? 'has both CronExpression and RateMinutes; keep one' : 'needs CronExpression or RateMinutes');
    return undefined;
  }
  let timing: { cronExpression: string } | { rateMinutes: number } | undefined;
  if (hasCron) {
    const cronExpression = schedule.string('CronExpression', true);
    const problem = cronExpression === undefined ? undefined : cronExpressionProblem(cronExpression);
    if (problem !== undefined) schedule.fail('CronExpression', `not a valid cron expression: ${problem}`);
    else if (cronExpression !== undefined) timing = { cronExpression: cronExpression.trim() };
  } else {
    // The reference tool refuses 1 ("RateMinutes must be > 1"); Caracal's scheduler runs a
    // query every minute if asked (decision 0027), and the public content has one that does.
    const rateMinutes = schedule.integer('RateMinutes', { min: 1 });
    // A run that may outlast the period would overlap the next one.
    if (rateMinutes !== undefined && timeoutMinutes !== undefined && rateMinutes < timeoutMinutes) {
      schedule.fail('RateMinutes', `must be at least TimeoutMinutes (${timeoutMinutes}), got ${rateMinutes}`);
    } else if (rateMinutes !== undefined) {
      timing = { rateMinutes };
    }
  }
  if (schedule.errors.length > before || timing === undefined || timeoutMinutes === undefined) return undefined;
  return { ...timing, timeoutMinutes };
}

/** Where a scheduled query's results are mailed in Panther: checked, not used here. */
function checkEmailConfig(reader: SpecReader): void {
  if (!reader.has('EmailConfig')) return;
  const email = reader.nested(reader.raw('EmailConfig'), 'EmailConfig.');
  if (!email) return;
  email.rejectUnknownKeys(EMAIL_CONFIG_KEYS);
  email.stringList('Recipients', true);
  email.boolean('SendEmpty', false, false);
  email.boolean('PreferAttachment', false, false);
}

function parseCommon(reader: SpecReader, queryKeys: readonly QueryKey[]) {
  const queryName = reader.name('QueryName', true);
  const text = parseQueryText(reader, queryKeys);
  const lookback = reader.has('Lookback') ? reader.boolean('Lookback', false, false) : undefined;
  // Any integer passes the reference's schema; nothing runs queries here yet.
  const lookbackWindowSeconds = reader.integer('LookbackWindowSeconds');
  reader.integer('BaseVersion');
  return {
    queryName,
    text,
    rest: {
      description: reader.string('Description') ?? '',
      tags: reader.stringList('Tags', false),
      ...(lookback === undefined ? {} : { lookback }),
      ...(lookbackWindowSeconds === undefined ? {} : { lookbackWindowSeconds }),
      filePath: reader.file,
    },
  };
}

export function parseSavedQuerySpec(reader: SpecReader): SavedQuerySpec | undefined {
  const before = reader.errors.length;
  reader.rejectUnknownKeys(new Set([...COMMON_KEYS, ...SAVED_QUERY_KEYS]));
  const { queryName, text, rest } = parseCommon(reader, SAVED_QUERY_KEYS);
  if (reader.errors.length > before || queryName === undefined || text === undefined) return undefined;
  return { queryName, ...text, ...rest };
}

export function parseScheduledQuerySpec(reader: SpecReader): ScheduledQuerySpec | undefined {
  const before = reader.errors.length;
  reader.rejectUnknownKeys(new Set([...COMMON_KEYS, ...SCHEDULED_QUERY_KEYS, 'Enabled', 'Schedule', 'EmailConfig']));
  const { queryName, text, rest } = parseCommon(reader, SCHEDULED_QUERY_KEYS);
  const enabled = reader.boolean('Enabled', true, true);
  checkEmailConfig(reader);
  const schedule = parseSchedule(reader);
  if (reader.errors.length > before || queryName === undefined || text === undefined || schedule === undefined) {
    return undefined;
  }
  return { queryName, ...text, enabled, schedule, ...rest };
}
