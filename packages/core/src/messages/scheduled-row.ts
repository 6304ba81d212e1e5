import type { NormalizedEvent } from './event.types';

/**
 * A scheduled query's result rows travel as events whose log type names the
 * query: that is how the scheduled rules that name the query, and only they,
 * see its rows, through the same evaluation as the stream's rules.
 */
const SCHEDULED_QUERY_LOG_TYPE_PREFIX = 'ScheduledQuery.';

export function scheduledQueryLogType(queryName: string): string {
  return `${SCHEDULED_QUERY_LOG_TYPE_PREFIX}${queryName}`;
}

/** The query a scheduled row's log type names; undefined for an event of a log type. */
export function scheduledQueryOf(logType: string): string | undefined {
  return logType.startsWith(SCHEDULED_QUERY_LOG_TYPE_PREFIX) ? logType.slice(SCHEDULED_QUERY_LOG_TYPE_PREFIX.length) : undefined;
}

/** A result row as an event: the row's columns, with Caracal's fields set over any of the same name. */
export interface ScheduledRowEvent extends NormalizedEvent {
  p_query_name: string;
  /** The tick the run was for, as p_event_time's text. */
  p_scheduled_time: string;
}

/** A correlation rule's matches are events of a log type naming the rule: they come from no log source. */
const CORRELATION_RULE_LOG_TYPE_PREFIX = 'CorrelationRule.';

export function correlationRuleLogType(ruleId: string): string {
  return `${CORRELATION_RULE_LOG_TYPE_PREFIX}${ruleId}`;
}

/** The rule a correlation match's log type names; undefined for any other event. */
export function correlationRuleOf(logType: string): string | undefined {
  return logType.startsWith(CORRELATION_RULE_LOG_TYPE_PREFIX) ? logType.slice(CORRELATION_RULE_LOG_TYPE_PREFIX.length) : undefined;
}

/** The fields Caracal sets on a scheduled row; the rest are the query's columns. */
export const SCHEDULED_ROW_FIELDS: readonly string[] = [
  'p_log_type',
  'p_tenant_id',
  'p_row_id',
  'p_event_time',
  'p_parse_time',
  'p_source_id',
  'p_source_label',
  'p_schema_version',
  'p_any_ip_addresses',
  'p_any_usernames',
  'p_any_emails',
  'p_any_trace_ids',
  'p_any_actor_ids',
  'p_query_name',
  'p_scheduled_time',
];
