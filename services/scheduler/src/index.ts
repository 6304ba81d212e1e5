/** @caracal/scheduler: runs each tenant's scheduled queries on their schedules, each tick once (decision 0025). */
export { queryKey, tickKey } from './scheduled-run.ledger';
export type { ScheduledRunLedger, TickClaim, TickRef } from './scheduled-run.ledger';
export { LocalScheduledRunLedger } from './local-scheduled-run.ledger';
export { RedisScheduledRunLedger, SCHEDULED_RUN_KEY_PREFIX } from './redis-scheduled-run.ledger';
export { DEFAULT_CATCH_UP, dueTicks } from './due-ticks';
export type { CatchUp } from './due-ticks';
export { SCHEDULED_QUERIES } from './scheduled-query.types';
export type { ScheduledQueries, ScheduledRunOutcome, ScheduledRunRecord, ScheduledRunTrigger, ScheduleView } from './scheduled-query.types';
export { SCHEDULE_CONTENT, SCHEDULED_QUERY_EXECUTOR, SchedulerService } from './scheduler.service';
export type { TenantContentSource } from './scheduler.service';
export { runScheduledQuery } from './scheduled-query.runner';
export type { ScheduledQueryExecutor, ScheduledRun, ScheduledRunOutputs } from './scheduled-query.runner';
export { scheduledRowEvents } from './scheduled-row-events';
export { ScheduledRunRecords } from './scheduled-run.records';
export { runCorrelationRule } from './correlation-rule.runner';
export type { CorrelationRun, CorrelationRunOutputs } from './correlation-rule.runner';
export { CorrelationSignalsReader } from './correlation-signals.reader';
