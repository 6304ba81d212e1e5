import type { ScheduledQuery__Output, ScheduledQueryRun__Output } from '@caracal/api';
import { CaracalConfig } from '@caracal/core';
import { flagParser, runSubcommand, time, usageError, withClient } from './api-command-support';
import { checkFormat, CliIo, formatTable } from './cli-output';

/** The most runs one `schedules runs` asks for: the server's limit. */
export const MAX_RUNS_LIMIT = 1000;

export const SCHEDULES_USAGE = `usage:
  caracal schedules list [--format table|json]
  caracal schedules run <QueryName> [--format table|json]
  caracal schedules runs [--query <QueryName>] [--limit <n>] [--format table|json]
(run waits for the run to end and exits 1 when it did not succeed; runs lists the newest first, 50 unless --limit, at most ${MAX_RUNS_LIMIT})`;

const flags = flagParser('schedules', SCHEDULES_USAGE);

/** --limit: 1 to the server's maximum; unset leaves the server's default. */
export function parseRunsLimit(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_RUNS_LIMIT)) throw usageError(`--limit must be a whole number from 1 to ${MAX_RUNS_LIMIT}, got "${text}"`, SCHEDULES_USAGE);
  return n;
}

/** "cron 0 * * * *" or "every 60 min", as the spec gave it. */
export function scheduleText(q: ScheduledQuery__Output): string {
  if (q.schedule === 'cronExpression') return `cron ${q.cronExpression ?? ''}`;
  if (q.schedule === 'rateMinutes') return `every ${q.rateMinutes ?? 0} min`;
  return '';
}

/** A run as scripts read it: enum names without their prefix, counts as numbers. */
export function runJson(r: ScheduledQueryRun__Output) {
  return {
    queryName: r.queryName,
    trigger: r.trigger.replace('SCHEDULED_QUERY_RUN_TRIGGER_', ''),
    scheduledTime: time(r.scheduledTime),
    startedTime: time(r.startedTime),
    durationMs: Number(r.durationMs),
    rows: Number(r.rows),
    outcome: r.outcome.replace('SCHEDULED_QUERY_RUN_OUTCOME_', ''),
    error: r.error,
  };
}

export function scheduleJson(q: ScheduledQuery__Output) {
  return {
    queryName: q.queryName,
    description: q.description,
    enabled: q.enabled,
    ...(q.schedule === 'cronExpression' ? { cronExpression: q.cronExpression } : {}),
    ...(q.schedule === 'rateMinutes' ? { rateMinutes: q.rateMinutes } : {}),
    timeoutMinutes: q.timeoutMinutes,
    scheduledRules: q.scheduledRules,
    // null, not "": a script tells "never" from a time without parsing.
    nextRunTime: q.nextRunTime ? time(q.nextRunTime) : null,
    lastRun: q.lastRun ? runJson(q.lastRun) : null,
  };
}

const LIST_COLUMNS = ['queryName', 'enabled', 'schedule', 'timeoutMinutes', 'nextRunTime', 'lastRunTime', 'lastOutcome', 'scheduledRules'];
const RUN_COLUMNS = ['startedTime', 'queryName', 'trigger', 'outcome', 'rows', 'durationMs', 'scheduledTime', 'error'];

function listRow(q: ScheduledQuery__Output) {
  const last = q.lastRun ? runJson(q.lastRun) : undefined;
  return {
    queryName: q.queryName,
    enabled: q.enabled,
    schedule: scheduleText(q),
    timeoutMinutes: q.timeoutMinutes,
    nextRunTime: time(q.nextRunTime),
    lastRunTime: last?.startedTime ?? '',
    lastOutcome: last?.outcome ?? '',
    scheduledRules: q.scheduledRules.join(','),
  };
}

function noArguments(sub: string, positionals: string[]): void {
  if (positionals.length > 0) throw usageError(`schedules ${sub} takes no arguments, got "${positionals[0]}"`, SCHEDULES_USAGE);
}

async function list(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('list', args, { format: { type: 'string', default: 'table' } } as const);
  noArguments('list', positionals);
  const format = checkFormat(values.format);
  const queries = await withClient(config, values, (c) => c.listScheduledQueries());
  if (format === 'json') io.out(JSON.stringify(queries.map(scheduleJson)));
  else io.out(`${formatTable(LIST_COLUMNS, queries.map(listRow))}\n(${queries.length} scheduled queries)`);
  return 0;
}

async function run(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('run', args, { format: { type: 'string', default: 'table' } } as const);
  if (positionals.length !== 1 || positionals[0] === '') {
    const problem = positionals.length > 1 ? `takes one QueryName (quote a name with spaces), got ${positionals.length} arguments` : 'needs a QueryName';
    throw usageError(`schedules run ${problem}`, SCHEDULES_USAGE);
  }
  const format = checkFormat(values.format);
  const queryName = positionals[0];
  const r = runJson(await withClient(config, values, (c) => c.runScheduledQuery(queryName)));
  if (format === 'json') {
    io.out(JSON.stringify(r));
  } else {
    // The reason goes below the table, whole: a table cell would cut it where it starts to say something.
    io.out(`${formatTable(RUN_COLUMNS.filter((c) => c !== 'error'), [r])}${r.error ? `\nerror: ${r.error}` : ''}`);
  }
  return r.outcome === 'SUCCEEDED' ? 0 : 1;
}

async function runs(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('runs', args, { query: { type: 'string' }, limit: { type: 'string' }, format: { type: 'string', default: 'table' } } as const);
  noArguments('runs', positionals);
  const format = checkFormat(values.format);
  if (values.query !== undefined && values.query.trim() === '') throw usageError('--query needs a QueryName', SCHEDULES_USAGE);
  const limit = parseRunsLimit(values.limit);
  const found = (await withClient(config, values, (c) => c.listScheduledQueryRuns({ queryName: values.query ?? '', limit }))).map(runJson);
  if (format === 'json') io.out(JSON.stringify(found));
  else io.out(`${formatTable(RUN_COLUMNS, found)}\n(${found.length} runs, newest first)`);
  return 0;
}

/** `caracal schedules <list|run|runs>`: the tenant's scheduled queries and their runs over the gRPC API. */
export function schedulesCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  return runSubcommand('schedules', SCHEDULES_USAGE, { list, run, runs }, config, args, io);
}
