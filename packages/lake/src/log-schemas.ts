import { FieldSchema, logSchemas, LogTypeSchema, ValueSchema } from '@caracal/core/log-schemas';

/**
 * Column layouts of the data lake. The p_ standard columns are shared by
 * every log type; each log type adds its own raw fields, derived from its
 * YAML schema in the core registry.
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

/**
 * The catch-all of a log table: the event's top-level fields its schema does
 * not declare, as one JSON object ({} when there are none). Last, so that it
 * is where an additive migration puts it on an older lake too.
 */
export const EXTRA_FIELDS_COLUMN: ColumnDef = { name: 'p_extra_fields', type: 'JSON' };

/** The column list of a CREATE TABLE. */
export function columnsDdl(columns: readonly ColumnDef[]): string {
  return columns.map((c) => `  \`${c.name}\` ${c.type}`).join(',\n');
}

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

/** The engine type of a value that is never null: a column's or an array element's. */
function valueType(value: ValueSchema): string {
  switch (value.type) {
    case 'string':
      // An allow list means few distinct values: dictionary-encoded.
      return value.validate?.allow ? 'LowCardinality(String)' : 'String';
    case 'int':
      return 'Int32';
    case 'bigint':
      return 'Int64';
    case 'float':
      return 'Float64';
    case 'boolean':
      return 'Bool';
    case 'timestamp':
      return "DateTime64(3, 'UTC')";
    case 'object':
    case 'json':
      return 'JSON';
    case 'array':
      return `Array(${valueType(value.element!)})`;
  }
}

/**
 * A field's column type, by rule: objects, json and arrays are never null
 * (the normalizer writes {} and [] for an absent one); an optional scalar is
 * Nullable, inside LowCardinality when it has an allow list.
 */
export function columnType(field: FieldSchema): string {
  const type = valueType(field);
  if (field.required || field.type === 'object' || field.type === 'json' || field.type === 'array') return type;
  const lowCardinality = /^LowCardinality\((.*)\)$/.exec(type);
  return lowCardinality ? `LowCardinality(Nullable(${lowCardinality[1]}))` : `Nullable(${type})`;
}

export function lakeSchemaOf(schema: LogTypeSchema): LogSchema {
  return { logType: schema.logType, table: schema.slug, columns: schema.fields.map((f) => ({ name: f.name, type: columnType(f) })) };
}

let lakeSchemas: readonly LogSchema[] | undefined;

/** The lake layout of every log type of the core registry, in its order; derived once. */
export function lakeLogSchemas(): readonly LogSchema[] {
  lakeSchemas ??= Object.freeze(logSchemas().map(lakeSchemaOf));
  return lakeSchemas;
}

export function schemaForLogType(logType: string): LogSchema | undefined {
  return lakeLogSchemas().find((s) => s.logType === logType);
}
