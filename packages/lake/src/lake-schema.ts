import type { LakeClient } from './lake-client';
import { alertDdl } from './alert-schema';
import { INGEST_REJECTIONS_TABLE, rejectionDdl } from './rejection-schema';
import { ColumnDef, lakeLogSchemas, RULE_ERROR_COLUMNS, RULE_MATCH_COLUMNS, STANDARD_COLUMNS } from './log-schemas';

export const LAKE_DATABASES = ['panther_logs', 'panther_rule_matches', 'panther_rule_errors', 'panther_views', 'panther_monitor'] as const;

// Two layers against duplicates. Inserts carry a token derived from the Kafka
// offsets they came from, and the engine drops a block whose token it has
// seen: a retried batch adds nothing. A replay upstream (a worker that crashed
// after publishing, a client retrying an event) brings new offsets, so the
// tables are also ReplacingMergeTree on a key that ends in p_row_id.
const DEDUP_SETTINGS = 'non_replicated_deduplication_window = 10000';

function columnsDdl(columns: readonly ColumnDef[]): string {
  return columns.map((c) => `  \`${c.name}\` ${c.type}`).join(',\n');
}

/** The DDL of the whole lake, in order. Idempotent: every statement is IF NOT EXISTS. */
export function lakeDdl(): string[] {
  const ddl = LAKE_DATABASES.map((db) => `CREATE DATABASE IF NOT EXISTS ${db}`);
  for (const schema of lakeLogSchemas()) {
    const eventColumns = [...STANDARD_COLUMNS, ...schema.columns];
    ddl.push(
      `CREATE TABLE IF NOT EXISTS panther_logs.${schema.table} (\n${columnsDdl(eventColumns)}\n)\n` +
        `ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(p_event_time)\nORDER BY (p_tenant_id, p_event_time, p_row_id)\nSETTINGS ${DEDUP_SETTINGS}`,
    );
    ddl.push(
      `CREATE TABLE IF NOT EXISTS panther_rule_matches.${schema.table} (\n${columnsDdl([...eventColumns, ...RULE_MATCH_COLUMNS])}\n)\n` +
        `ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(p_event_time)\nORDER BY (p_tenant_id, p_rule_id, p_alert_id, p_event_time, p_row_id)\nSETTINGS ${DEDUP_SETTINGS}`,
    );
    ddl.push(
      `CREATE TABLE IF NOT EXISTS panther_rule_errors.${schema.table} (\n${columnsDdl([...eventColumns, ...RULE_MATCH_COLUMNS, ...RULE_ERROR_COLUMNS])}\n)\n` +
        `ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(p_event_time)\nORDER BY (p_tenant_id, p_rule_id, p_alert_id, p_event_time, p_row_id)\nSETTINGS ${DEDUP_SETTINGS}`,
    );
  }
  ddl.push(...alertDdl(), ...rejectionDdl());
  return ddl;
}

export async function applyLakeSchema(client: LakeClient): Promise<void> {
  for (const statement of lakeDdl()) await client.command({ query: statement });
}

/** Every table a tenant may read, as `database.table`. */
export function tenantScopedTables(): string[] {
  return [
    ...lakeLogSchemas().flatMap((s) => [`panther_logs.${s.table}`, `panther_rule_matches.${s.table}`, `panther_rule_errors.${s.table}`]),
    INGEST_REJECTIONS_TABLE,
  ];
}
