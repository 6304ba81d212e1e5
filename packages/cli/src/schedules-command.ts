import type { ScheduledQuery__Output, ScheduledQueryRun__Output } from '@caracal/api';
import { CaracalConfig } from '@caracal/core';
import { CaracalError } from '@caracal/core';
import { ApiFlags, time, withClient } from './api-command-support';
import { CliIo, formatTable } from './cli-output';

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

type Format = { format: 'table' | 'json' };

/** `caracal schedules list`: each scheduled query with its next and last run. */
export async function schedulesList(config: CaracalConfig, values: ApiFlags & Format, io: CliIo): Promise<number> {
  const queries = await withClient(config, values, (c) => c.listScheduledQueries());
  if (values.format === 'json') io.out(JSON.stringify(queries.map(scheduleJson)));
  else io.out(`${formatTable(LIST_COLUMNS, queries.map(listRow))}\n(${queries.length} scheduled queries)`);
  return 0;
}

/** `caracal schedules run <QueryName>`: waits for the run; exit 1 unless it succeeded. */
export async function schedulesRun(config: CaracalConfig, queryName: string, values: ApiFlags & Format, io: CliIo): Promise<number> {
  if (queryName === '') throw new CaracalError('INVALID_ARGUMENT', 'schedules run needs a QueryName that is not empty');
  const r = runJson(await withClient(config, values, (c) => c.runScheduledQuery(queryName)));
  if (values.format === 'json') {
    io.out(JSON.stringify(r));
  } else {
    // The reason goes below the table, whole: a table cell would cut it where it starts to say something.
    io.out(`${formatTable(RUN_COLUMNS.filter((c) => c !== 'error'), [r])}${r.error ? `\nerror: ${r.error}` : ''}`);
  }
  return r.outcome === 'SUCCEEDED' ? 0 : 1;
}

/** `caracal schedules runs`: the recorded runs, newest first. */
export async function schedulesRuns(config: CaracalConfig, values: ApiFlags & Format & { query?: string; limit?: number }, io: CliIo): Promise<number> {
  if (values.query !== undefined && values.query.trim() === '') throw new CaracalError('INVALID_ARGUMENT', '--query needs a QueryName');
  const found = (await withClient(config, values, (c) => c.listScheduledQueryRuns({ queryName: values.query ?? '', limit: values.limit ?? 0 }))).map(runJson);
  if (values.format === 'json') io.out(JSON.stringify(found));
  else io.out(`${formatTable(RUN_COLUMNS, found)}\n(${found.length} runs, newest first)`);
  return 0;
}
