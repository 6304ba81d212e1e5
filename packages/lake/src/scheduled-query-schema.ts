import { isCorrelationRuleLogType, isScheduledQueryLogType } from '@caracal/core/messages';
import type { ColumnDef } from './log-schemas';
import { columnsDdl, RULE_ERROR_COLUMNS, RULE_MATCH_COLUMNS, schemaForLogType, STANDARD_COLUMNS } from './log-schemas';

/**
 * The table, in panther_rule_matches and in panther_rule_errors, of the
 * scheduled query rows a scheduled rule matched or raised on. Rows of every
 * query share it: their columns are whatever each query selected, so they are
 * kept whole in one JSON column beside the standard fields.
 */
export const SCHEDULED_ROWS_TABLE = 'scheduled_queries';

/**
 * The table, in panther_rule_matches, of correlation rules' matches: the
 * standard fields and, in row_data, the join value and the signals counted.
 */
export const CORRELATION_MATCHES_TABLE = 'correlation_rules';

/**
 * The table, in panther_rule_matches and panther_rule_errors, of a rule
 * output whose event is of `logType`: the log type's own, or the one table of
 * scheduled query rows or of correlation matches. Undefined: no table.
 */
export function ruleOutputTable(logType: string): string | undefined {
  if (isScheduledQueryLogType(logType)) return SCHEDULED_ROWS_TABLE;
  if (isCorrelationRuleLogType(logType)) return CORRELATION_MATCHES_TABLE;
  return schemaForLogType(logType)?.table;
}

/** One record per run of a tenant's scheduled query; tenants read their own. */
export const SCHEDULED_QUERY_RUNS_TABLE = 'panther_monitor.scheduled_query_runs';

const SCHEDULED_ROW_COLUMNS: readonly ColumnDef[] = [
  ...STANDARD_COLUMNS,
  { name: 'p_query_name', type: 'LowCardinality(String)' },
  { name: 'p_scheduled_time', type: "DateTime64(3, 'UTC')" },
  { name: 'row_data', type: 'JSON' },
];

// Run records tell a tenant whether its schedules work; a quarter covers the
// questions ("did it run last month?") without keeping every minute's run for ever.
const RUNS_RETENTION_DAYS = 90;

export function scheduledQueryDdl(): string[] {
  const ordered = 'ORDER BY (p_tenant_id, p_rule_id, p_alert_id, p_event_time, p_row_id)\nSETTINGS non_replicated_deduplication_window = 10000';
  return [
    `CREATE TABLE IF NOT EXISTS panther_rule_matches.${CORRELATION_MATCHES_TABLE} (\n${columnsDdl([...STANDARD_COLUMNS, { name: 'row_data', type: 'JSON' }, ...RULE_MATCH_COLUMNS])}\n)\n` +
      `ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(p_event_time)\n${ordered}`,
    `CREATE TABLE IF NOT EXISTS panther_rule_matches.${SCHEDULED_ROWS_TABLE} (\n${columnsDdl([...SCHEDULED_ROW_COLUMNS, ...RULE_MATCH_COLUMNS])}\n)\n` +
      `ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(p_event_time)\n${ordered}`,
    `CREATE TABLE IF NOT EXISTS panther_rule_errors.${SCHEDULED_ROWS_TABLE} (\n${columnsDdl([...SCHEDULED_ROW_COLUMNS, ...RULE_MATCH_COLUMNS, ...RULE_ERROR_COLUMNS])}\n)\n` +
      `ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(p_event_time)\n${ordered}`,
    // One row per tick and trigger: a run repeated after its scheduler died replaces the
    // record the first left (if it got that far), the later start winning at merge.
    `CREATE TABLE IF NOT EXISTS ${SCHEDULED_QUERY_RUNS_TABLE} (
  \`p_tenant_id\` LowCardinality(String),
  \`query_name\` String,
  \`scheduled_time\` DateTime64(3, 'UTC'),
  \`trigger\` LowCardinality(String),
  \`started_at\` DateTime64(3, 'UTC'),
  \`duration_ms\` UInt64,
  \`rows\` UInt64,
  \`outcome\` LowCardinality(String),
  \`error\` String
)
ENGINE = ReplacingMergeTree(started_at)
PARTITION BY toYYYYMM(scheduled_time)
ORDER BY (p_tenant_id, query_name, scheduled_time, trigger)
TTL toDateTime(scheduled_time) + INTERVAL ${RUNS_RETENTION_DAYS} DAY
SETTINGS non_replicated_deduplication_window = 10000`,
  ];
}
