import { Inject, Injectable } from '@nestjs/common';
import type { ScheduledQuery, ScheduledQueryRun, ScheduleServiceHandlers } from '@caracal/api';
import { InvalidArgumentError, MAX_NAME_CHARS } from '@caracal/core';
import { SCHEDULED_QUERIES } from '@caracal/scheduler';
import type { ScheduledQueries, ScheduledRunRecord, ScheduleView } from '@caracal/scheduler';
import { toTimestamp } from './grpc-values.mapper';
import { checkName } from './rpc-argument.validator';
import { RpcRunnerService } from './rpc-runner.service';

/** What ListScheduledQueryRuns answers when limit is 0, and the most it answers. */
export const DEFAULT_RUNS_LIMIT = 50;
export const MAX_RUNS_LIMIT = 1000;

// A duration may be measured with a fractional clock; uint64 fields take whole numbers only.
function uint64(n: number): string {
  return String(Math.max(0, Math.round(n)));
}

export function toRunMessage(r: ScheduledRunRecord): ScheduledQueryRun {
  return {
    queryName: r.queryName,
    scheduledTime: toTimestamp(r.scheduledTime),
    trigger: `SCHEDULED_QUERY_RUN_TRIGGER_${r.trigger}`,
    startedTime: toTimestamp(r.startedAt),
    durationMs: uint64(r.durationMs),
    rows: uint64(r.rows),
    outcome: `SCHEDULED_QUERY_RUN_OUTCOME_${r.outcome}`,
    error: r.error,
  };
}

export function toScheduledQueryMessage(v: ScheduleView): ScheduledQuery {
  return {
    queryName: v.queryName,
    description: v.description,
    enabled: v.enabled,
    ...(v.cronExpression !== undefined ? { cronExpression: v.cronExpression } : {}),
    ...(v.cronExpression === undefined && v.rateMinutes !== undefined ? { rateMinutes: v.rateMinutes } : {}),
    timeoutMinutes: v.timeoutMinutes,
    scheduledRules: v.scheduledRules,
    ...(v.nextRunAt ? { nextRunTime: toTimestamp(v.nextRunAt) } : {}),
    ...(v.lastRun ? { lastRun: toRunMessage(v.lastRun) } : {}),
  };
}

/** The limit of ListScheduledQueryRuns: 0 is the default; above the maximum is refused rather than cut, so a caller never takes a short page for all the runs there are. */
export function runsLimit(limit: number): number {
  if (limit === 0) return DEFAULT_RUNS_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUNS_LIMIT) {
    throw new InvalidArgumentError(`limit must be from 1 to ${MAX_RUNS_LIMIT} (0 for ${DEFAULT_RUNS_LIMIT}), got ${limit}`);
  }
  return limit;
}

/** ScheduleService: the caller's tenant's scheduled queries, their runs, and a run on demand; the scheduler does the work. */
@Injectable()
export class ScheduleGrpcHandlers {
  constructor(
    private readonly rpc: RpcRunnerService,
    @Inject(SCHEDULED_QUERIES) private readonly schedules: ScheduledQueries,
  ) {}

  handlers(): ScheduleServiceHandlers {
    return {
      ListScheduledQueries: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          const views = await this.schedules.list(caller.tenantId);
          // The order the proto promises, whatever order the scheduler keeps them in.
          const sorted = [...views].sort((a, b) => (a.queryName < b.queryName ? -1 : a.queryName > b.queryName ? 1 : 0));
          audit.details = { scheduledQueries: sorted.length };
          return { scheduledQueries: sorted.map(toScheduledQueryMessage) };
        });
      },
      RunScheduledQuery: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { queryName: call.request.queryName };
          checkName('query_name', call.request.queryName, MAX_NAME_CHARS);
          const run = await this.schedules.runNow(caller.tenantId, call.request.queryName);
          // A run that failed is still a served call: its outcome is what the trail keeps.
          audit.details = { outcome: run.outcome, rows: run.rows, durationMs: run.durationMs };
          return { run: toRunMessage(run) };
        });
      },
      ListScheduledQueryRuns: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          const { queryName } = call.request;
          audit.input = { queryName, limit: call.request.limit };
          checkName('query_name', queryName, MAX_NAME_CHARS, true);
          const limit = runsLimit(call.request.limit);
          const runs = await this.schedules.runs(caller.tenantId, { ...(queryName === '' ? {} : { queryName }), limit });
          audit.details = { runs: runs.length };
          return { runs: runs.map(toRunMessage) };
        });
      },
    };
  }
}
