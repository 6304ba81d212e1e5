/**
 * Column layouts of the data lake. The p_ standard columns are shared by
 * every log type; each log type adds its own raw fields.
 */
export interface ColumnDef {
  name: string;
  type: string;
}

export const STANDARD_COLUMNS: readonly ColumnDef[] = [
  { name: 'p_log_type', type: 'LowCardinality(String)' },
  { name: 'p_tenant_id', type: 'LowCardinality(String)' },
  { name: 'p_row_id', type: 'String' },
  { name: 'p_event_time', type: "DateTime64(3, 'UTC')" },
  { name: 'p_parse_time', type: "DateTime64(3, 'UTC')" },
  { name: 'p_source_id', type: 'LowCardinality(String)' },
  { name: 'p_source_label', type: 'LowCardinality(String)' },
  { name: 'p_schema_version', type: 'UInt32' },
  { name: 'p_any_ip_addresses', type: 'Array(String)' },
  { name: 'p_any_usernames', type: 'Array(String)' },
  { name: 'p_any_emails', type: 'Array(String)' },
  { name: 'p_any_trace_ids', type: 'Array(String)' },
  { name: 'p_any_actor_ids', type: 'Array(String)' },
];

/** Columns a rule-match row adds to the event's own. */
export const RULE_MATCH_COLUMNS: readonly ColumnDef[] = [
  { name: 'p_alert_id', type: 'String' },
  { name: 'p_alert_title', type: 'String' },
  { name: 'p_alert_dedup', type: 'String' },
  { name: 'p_alert_creation_time', type: "DateTime64(3, 'UTC')" },
  { name: 'p_alert_update_time', type: "DateTime64(3, 'UTC')" },
  { name: 'p_alert_context', type: 'String' },
  { name: 'p_alert_severity', type: 'LowCardinality(String)' },
  { name: 'p_alert_description', type: 'String' },
  { name: 'p_alert_runbook', type: 'String' },
  { name: 'p_alert_reference', type: 'String' },
  { name: 'p_alert_errors', type: 'Array(String)' },
  { name: 'p_rule_id', type: 'LowCardinality(String)' },
  { name: 'p_rule_severity', type: 'LowCardinality(String)' },
  { name: 'p_rule_tags', type: 'Array(String)' },
  { name: 'p_rule_reports', type: 'Map(String, Array(String))' },
  { name: 'p_rule_dedup_period_minutes', type: 'UInt32' },
];

/** Columns a rule-error row adds to the rule-match columns. */
export const RULE_ERROR_COLUMNS: readonly ColumnDef[] = [
  { name: 'p_rule_error', type: 'String' },
  { name: 'p_rule_error_type', type: 'LowCardinality(String)' },
  { name: 'p_rule_error_traceback', type: 'String' },
];

export interface LogSchema {
  logType: string;
  /** Table name in panther_logs / panther_rule_matches / panther_rule_errors. */
  table: string;
  columns: readonly ColumnDef[];
}

export const PANTHER_AUDIT: LogSchema = {
  logType: 'Panther.Audit',
  table: 'panther_audit',
  columns: [
    { name: 'actionName', type: 'String' },
    { name: 'actionResult', type: 'LowCardinality(String)' },
    { name: 'actor', type: 'JSON' },
    { name: 'timestamp', type: "DateTime64(3, 'UTC')" },
    { name: 'pantherVersion', type: 'String' },
    { name: 'actionDescription', type: 'Nullable(String)' },
    { name: 'actionParams', type: 'JSON' },
    { name: 'actionDetails', type: 'JSON' },
    { name: 'errors', type: 'Array(JSON)' },
    { name: 'sourceIP', type: 'Nullable(String)' },
    { name: 'XForwardedFor', type: 'Array(String)' },
    { name: 'userAgent', type: 'Nullable(String)' },
  ],
};

export const LOG_SCHEMAS: readonly LogSchema[] = [PANTHER_AUDIT];

export function schemaForLogType(logType: string): LogSchema | undefined {
  return LOG_SCHEMAS.find((s) => s.logType === logType);
}
