import { type NormalizedEvent, STANDARD_EVENT_FIELDS } from './event.types';

/**
 * A scheduled query's result rows travel as events whose log type names the
 * query: that is how the scheduled rules that name the query, and only they,
 * see its rows, through the same evaluation as the stream's rules.
 */
const SCHEDULED_QUERY_LOG_TYPE_PREFIX = 'ScheduledQuery.';

export function scheduledQueryLogType(queryName: string): string {
  return `${SCHEDULED_QUERY_LOG_TYPE_PREFIX}${queryName}`;
}

/** Whether an event is a scheduled query's row. */
export function isScheduledQueryLogType(logType: string): boolean {
  return logType.startsWith(SCHEDULED_QUERY_LOG_TYPE_PREFIX);
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

/** Whether an event is a correlation rule's match. */
export function isCorrelationRuleLogType(logType: string): boolean {
  return logType.startsWith(CORRELATION_RULE_LOG_TYPE_PREFIX);
}

/**
 * Whether an event was made by Caracal (a scheduled query's row, a
 * correlation rule's match) rather than read from a log source: its fields
 * other than DERIVED_EVENT_FIELDS are its own, kept whole in the lake.
 */
export function isDerivedLogType(logType: string): boolean {
  return isScheduledQueryLogType(logType) || isCorrelationRuleLogType(logType);
}

/** The fields Caracal sets on the events it makes; the rest are the query's columns, or the match's. */
export const DERIVED_EVENT_FIELDS: readonly string[] = [...STANDARD_EVENT_FIELDS, 'p_query_name', 'p_scheduled_time'];
