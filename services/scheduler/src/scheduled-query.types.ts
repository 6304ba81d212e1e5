/** How a run came about: its tick came, or a tenant asked for it (RunScheduledQuery). */
export type ScheduledRunTrigger = 'SCHEDULE' | 'MANUAL';

/** SUCCEEDED: rows out to the scheduled rules. FAILED: the query was refused or broke. TIMED_OUT: past TimeoutMinutes. */
export type ScheduledRunOutcome = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

/** One run of a tenant's scheduled query, as kept in panther_monitor.scheduled_query_runs. */
export interface ScheduledRunRecord {
  tenantId: string;
  queryName: string;
  /** The tick the run is for (its macros' "now"); for a manual run, when it was asked for. */
  scheduledTime: Date;
  trigger: ScheduledRunTrigger;
  startedAt: Date;
  durationMs: number;
  /** Rows the query returned, each handed to the scheduled rules as an event. */
  rows: number;
  outcome: ScheduledRunOutcome;
  /** Why it failed; empty when it succeeded. */
  error: string;
}

/** A tenant's scheduled query as the API shows it. */
export interface ScheduleView {
  queryName: string;
  description: string;
  enabled: boolean;
  /** Exactly one of cronExpression and rateMinutes. */
  cronExpression?: string;
  rateMinutes?: number;
  timeoutMinutes: number;
  /** RuleIDs of the enabled scheduled rules that see its rows. */
  scheduledRules: string[];
  /** The next tick after now; absent for a disabled query or a cron whose days never come. */
  nextRunAt?: Date;
  /** The latest run recorded, if any. */
  lastRun?: ScheduledRunRecord;
}

/**
 * What the API asks of the scheduler: the tenant's schedules, a run now, and
 * the runs recorded. Every call is for the tenant of the caller's credentials.
 */
export interface ScheduledQueries {
  list(tenantId: string): Promise<ScheduleView[]>;
  /** Runs the query now as a MANUAL run (outside its schedule) and answers its record. NOT_FOUND for a query the tenant has not. */
  runNow(tenantId: string, queryName: string): Promise<ScheduledRunRecord>;
  /** Newest first; `queryName` narrows to one query. */
  runs(tenantId: string, options: { queryName?: string; limit: number }): Promise<ScheduledRunRecord[]>;
}

/** Nest token of the ScheduledQueries the API calls. */
export const SCHEDULED_QUERIES = Symbol('SCHEDULED_QUERIES');
