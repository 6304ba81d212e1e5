import { randomUUID } from 'node:crypto';
import { CaracalError, describeError } from '@caracal/core';
import type { ScheduledRowEvent } from '@caracal/core/messages';
import type { ScheduledQuerySpec } from '@caracal/detections';
import type { ScheduledRunRecord, ScheduledRunTrigger } from './scheduled-query.types';
import { scheduledRowEvents } from './scheduled-row-events';

/** Runs a tenant's SQL as the query API does: its checks, macros, scoping and limits. */
export interface ScheduledQueryExecutor {
  execute(tenantId: string, sql: string, options: { now: Date; signal: AbortSignal; queryId: string }): Promise<{ rows: Record<string, unknown>[] }>;
}

/** Where a run's outputs go: its rows to the scheduled rules, its record to the lake. Each call is durable when it resolves. */
export interface ScheduledRunOutputs {
  publishRows(events: ScheduledRowEvent[]): Promise<void>;
  record(run: ScheduledRunRecord): Promise<void>;
}

/** What one run is: which query of which tenant, for which time. */
export interface ScheduledRun {
  tenantId: string;
  query: ScheduledQuerySpec;
  /** The tick, or for a manual run the moment it was asked for: the query's "now". */
  tick: Date;
  trigger: ScheduledRunTrigger;
}

/**
 * One run of a scheduled query: the SQL at its tick's time, bounded by its
 * TimeoutMinutes; its rows published; its record kept. A query the engine
 * refuses or that runs out of time is a run too (FAILED, TIMED_OUT): the tick
 * happened and is not retried. A failure of what the run needs (the lake, the
 * bus), or a cancellation that is not its timeout (the process stopping), is
 * thrown for the caller to give the tick back and try again; nothing is
 * recorded then.
 */
export async function runScheduledQuery(run: ScheduledRun, executor: ScheduledQueryExecutor, outputs: ScheduledRunOutputs, clock: () => Date = () => new Date()): Promise<ScheduledRunRecord> {
  const startedAt = clock();
  const timeoutMs = run.query.schedule.timeoutMinutes * 60_000;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let rows: Record<string, unknown>[] | undefined;
  let outcome: ScheduledRunRecord['outcome'] = 'SUCCEEDED';
  let error = '';
  try {
    rows = (await executor.execute(run.tenantId, run.query.query, { now: run.tick, signal: abort.signal, queryId: randomUUID() })).rows;
  } catch (err) {
    if (abort.signal.aborted) {
      outcome = 'TIMED_OUT';
      error = `the query ran longer than its TimeoutMinutes (${run.query.schedule.timeoutMinutes})`;
    } else if (err instanceof CaracalError && (err.retriable || err.code === 'CANCELLED')) {
      // Not the query's failure: the lake was away, or the process is stopping and cancelled it.
      throw err;
    } else {
      outcome = 'FAILED';
      error = describeError(err);
    }
  } finally {
    clearTimeout(timer);
  }
  if (rows !== undefined) {
    await outputs.publishRows(scheduledRowEvents({ tenantId: run.tenantId, queryName: run.query.queryName, tick: run.tick, trigger: run.trigger, readAt: clock() }, rows));
  }
  const record: ScheduledRunRecord = {
    tenantId: run.tenantId,
    queryName: run.query.queryName,
    scheduledTime: run.tick,
    trigger: run.trigger,
    startedAt,
    durationMs: Math.max(0, clock().getTime() - startedAt.getTime()),
    rows: rows?.length ?? 0,
    outcome,
    error,
  };
  await outputs.record(record);
  return record;
}
