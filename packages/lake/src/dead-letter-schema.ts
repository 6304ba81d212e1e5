import { ALERTS_DATABASE } from './alert-schema';

/**
 * Messages a consumer group set aside (the consumer dead-letter topic), for
 * the operator. Beside the alert tables, outside the panther_* databases:
 * what they hold (another service's records, internal error text, messages
 * with no tenant at all) is not for tenant SQL.
 */
export const DEAD_LETTERS_TABLE = `${ALERTS_DATABASE}.dead_letters`;

// The topic keeps them for its retention (a week by default); the table is
// the record after that, long enough to find, fix and replay a cause.
const RETENTION_DAYS = 90;

/**
 * Keyed by where the message was read and by whom, so a dead letter
 * published twice (a consumer that died between publishing it and
 * committing) is one row once merged.
 */
export function deadLetterDdl(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${DEAD_LETTERS_TABLE} (
  consumer_group LowCardinality(String),
  source_topic LowCardinality(String),
  source_partition Int32,
  source_offset Int64,
  tenant_id LowCardinality(String),
  error_code LowCardinality(String),
  error_message String,
  attempts Int32,
  dead_lettered_at DateTime64(3, 'UTC'),
  message_key String,
  payload String,
  payload_encoding LowCardinality(String),
  headers Map(String, String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(dead_lettered_at)
ORDER BY (consumer_group, source_topic, source_partition, source_offset)
TTL toDateTime(dead_lettered_at) + INTERVAL ${RETENTION_DAYS} DAY
SETTINGS non_replicated_deduplication_window = 10000`,
  ];
}
