/**
 * Tables of the alert lifecycle. They live outside the panther_* databases,
 * so tenant SQL (which may read only those) never reaches them; the query
 * service reads them with its own tenant-filtered queries.
 */
export const ALERTS_DATABASE = 'caracal';

export const ALERTS_TABLE = `${ALERTS_DATABASE}.alerts`;
export const ALERT_ACTIVITY_TABLE = `${ALERTS_DATABASE}.alert_activity`;
export const ALERT_DELIVERIES_TABLE = `${ALERTS_DATABASE}.alert_deliveries`;

const TIME = "DateTime64(3, 'UTC')";

export function alertDdl(): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${ALERTS_DATABASE}`,
    // One row per version of an alert; reads take the highest version (FINAL or argMax).
    `CREATE TABLE IF NOT EXISTS ${ALERTS_TABLE} (
  tenant_id LowCardinality(String),
  alert_id String,
  type LowCardinality(String),
  rule_id String,
  dedup_key String,
  dedup String,
  title String,
  severity LowCardinality(String),
  rule_severity LowCardinality(String),
  log_types Array(String),
  event_count UInt64,
  threshold UInt32,
  dedup_period_minutes UInt32,
  first_event_time ${TIME},
  last_event_time ${TIME},
  created_at ${TIME},
  updated_at ${TIME},
  threshold_reached_at Nullable(${TIME}),
  initial_status LowCardinality(String),
  alert_context String,
  description String,
  reference String,
  runbook String,
  tags Array(String),
  reports Map(String, Array(String)),
  destination_override Nullable(String),
  output_ids Array(String),
  aux_errors Array(String),
  error_type String,
  error_message String,
  version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (tenant_id, alert_id)`,
    // Status, assignee and comment changes made by people, append-only: the
    // current status is the latest STATUS row, else the alert's initial status.
    `CREATE TABLE IF NOT EXISTS ${ALERT_ACTIVITY_TABLE} (
  tenant_id LowCardinality(String),
  alert_id String,
  activity_id String,
  kind LowCardinality(String),
  status LowCardinality(String),
  assignee String,
  comment String,
  actor String,
  created_at ${TIME}
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, alert_id, created_at, activity_id)`,
    `CREATE TABLE IF NOT EXISTS ${ALERT_DELIVERIES_TABLE} (
  tenant_id LowCardinality(String),
  alert_id String,
  destination_id String,
  destination_type LowCardinality(String),
  outcome LowCardinality(String),
  attempts UInt32,
  http_status UInt16,
  error String,
  attempted_at ${TIME}
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, alert_id, destination_id, attempted_at)`,
  ];
}
