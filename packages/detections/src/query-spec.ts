import type { QueryKey, QuerySchedule, SavedQuerySpec, ScheduledQuerySpec } from './content.types';
import { cronExpressionProblem } from './cron-expression';
import { SpecReader } from './spec-reader';

// One key per query language in the reference format; a spec has at least one.
const SAVED_QUERY_KEYS: readonly QueryKey[] = ['Query', 'SnowflakeQuery', 'AthenaQuery', 'PantherFlowQuery'];
const SCHEDULED_QUERY_KEYS: readonly QueryKey[] = ['Query', 'SnowflakeQuery', 'AthenaQuery'];
const COMMON_KEYS = ['AnalysisType', 'QueryName', 'Description', 'Tags', 'Lookback', 'LookbackWindowSeconds'];
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

function parseSchedule(reader: SpecReader): QuerySchedule | undefined {
  if (!reader.has('Schedule')) {
    reader.fail('Schedule', 'required key is missing');
    return undefined;
  }
  const schedule = reader.nested(reader.raw('Schedule'), 'Schedule.');
  if (!schedule) return undefined;
  const before = schedule.errors.length;
  schedule.rejectUnknownKeys(SCHEDULE_KEYS);
  const timeoutMinutes = schedule.integer('TimeoutMinutes', { required: true, min: 1 });
  const hasCron = schedule.has('CronExpression');
  const hasRate = schedule.has('RateMinutes');
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

function parseCommon(reader: SpecReader, queryKeys: readonly QueryKey[]) {
  const queryName = reader.name('QueryName', true);
  const text = parseQueryText(reader, queryKeys);
  const lookback = reader.has('Lookback') ? reader.boolean('Lookback', false, false) : undefined;
  const lookbackWindowSeconds = reader.integer('LookbackWindowSeconds', { min: 1 });
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
  reader.rejectUnknownKeys(new Set([...COMMON_KEYS, ...SCHEDULED_QUERY_KEYS, 'Enabled', 'Schedule']));
  const { queryName, text, rest } = parseCommon(reader, SCHEDULED_QUERY_KEYS);
  // The reference tool requires Enabled; like a data model's, it defaults to true here.
  const enabled = reader.boolean('Enabled', false, true);
  const schedule = parseSchedule(reader);
  if (reader.errors.length > before || queryName === undefined || text === undefined || schedule === undefined) {
    return undefined;
  }
  return { queryName, ...text, enabled, schedule, ...rest };
}
