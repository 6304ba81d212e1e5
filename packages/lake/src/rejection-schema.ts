/** Where refused ingest input is kept, one row per refused event or body; tenants read their own. */
export const INGEST_REJECTIONS_TABLE = 'panther_monitor.ingest_rejections';

// Rejections help a tenant fix a sender; a month covers a fix and its check,
// and a noisy sender must not fill the lake with garbage for ever.
const RETENTION_DAYS = 30;

/** Keyed by p_row_id (tenant, source, raw text), so the same bad input sent again adds no row once merged. */
export function rejectionDdl(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${INGEST_REJECTIONS_TABLE} (
  \`p_tenant_id\` LowCardinality(String),
  \`p_row_id\` String,
  \`p_parse_time\` DateTime64(3, 'UTC'),
  \`p_source_id\` LowCardinality(String),
  \`p_source_label\` LowCardinality(String),
  \`p_log_type\` LowCardinality(String),
  \`request_id\` String,
  \`event_index\` Int32,
  \`raw\` String,
  \`raw_encoding\` LowCardinality(String),
  \`raw_truncated\` Bool,
  \`problems\` Array(Tuple(field String, problem String))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(p_parse_time)
ORDER BY (p_tenant_id, p_source_id, p_row_id)
TTL toDateTime(p_parse_time) + INTERVAL ${RETENTION_DAYS} DAY
SETTINGS non_replicated_deduplication_window = 10000`,
  ];
}
