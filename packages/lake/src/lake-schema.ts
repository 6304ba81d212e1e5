import type { LakeClient } from './lake-client';
import { fromClickHouseTime } from '@caracal/core/messages';
import { alertDdl } from './alert-schema';
import { deadLetterDdl } from './dead-letter-schema';
import { INGEST_REJECTIONS_TABLE, rejectionDdl } from './rejection-schema';
import { CORRELATION_MATCHES_TABLE, SCHEDULED_QUERY_RUNS_TABLE, SCHEDULED_ROWS_TABLE, scheduledQueryDdl } from './scheduled-query-schema';
import { ColumnDef, columnsDdl, EXTRA_FIELDS_COLUMN, lakeLogSchemas, RULE_ERROR_COLUMNS, RULE_MATCH_COLUMNS, STANDARD_COLUMNS } from './log-schemas';

export const LAKE_DATABASES = ['panther_logs', 'panther_rule_matches', 'panther_rule_errors', 'panther_views', 'panther_monitor'] as const;

// Two layers against duplicates. Inserts carry a token derived from the Kafka
// offsets they came from, and the engine drops a block whose token it has
// seen: a retried batch adds nothing. A replay upstream (a worker that crashed
// after publishing, a client retrying an event) brings new offsets, so the
// tables are also ReplacingMergeTree on a key that ends in p_row_id.
const DEDUP_SETTINGS = 'non_replicated_deduplication_window = 10000';

/**
 * The columns of every table a log schema makes (its events, its rule
 * matches, its rule errors), by `database.table`: what the additive
 * migration compares an existing lake with.
 */
export function logTableColumns(): ReadonlyMap<string, readonly ColumnDef[]> {
  const tables = new Map<string, readonly ColumnDef[]>();
  for (const schema of lakeLogSchemas()) {
    const eventColumns = [...STANDARD_COLUMNS, ...schema.columns, EXTRA_FIELDS_COLUMN];
    tables.set(`panther_logs.${schema.table}`, eventColumns);
    tables.set(`panther_rule_matches.${schema.table}`, [...eventColumns, ...RULE_MATCH_COLUMNS]);
    tables.set(`panther_rule_errors.${schema.table}`, [...eventColumns, ...RULE_MATCH_COLUMNS, ...RULE_ERROR_COLUMNS]);
  }
  return tables;
}

/** The DDL of the whole lake, in order. Idempotent: every statement is IF NOT EXISTS. */
export function lakeDdl(): string[] {
  const ddl = LAKE_DATABASES.map((db) => `CREATE DATABASE IF NOT EXISTS ${db}`);
  const tables = logTableColumns();
  for (const schema of lakeLogSchemas()) {
    const columns = (database: string) => columnsDdl(tables.get(`${database}.${schema.table}`)!);
    ddl.push(
      `CREATE TABLE IF NOT EXISTS panther_logs.${schema.table} (\n${columns('panther_logs')}\n)\n` +
        `ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(p_event_time)\nORDER BY (p_tenant_id, p_event_time, p_row_id)\nSETTINGS ${DEDUP_SETTINGS}`,
    );
    ddl.push(
      `CREATE TABLE IF NOT EXISTS panther_rule_matches.${schema.table} (\n${columns('panther_rule_matches')}\n)\n` +
        `ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(p_event_time)\nORDER BY (p_tenant_id, p_rule_id, p_alert_id, p_event_time, p_row_id)\nSETTINGS ${DEDUP_SETTINGS}`,
    );
    ddl.push(
      `CREATE TABLE IF NOT EXISTS panther_rule_errors.${schema.table} (\n${columns('panther_rule_errors')}\n)\n` +
        `ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(p_event_time)\nORDER BY (p_tenant_id, p_rule_id, p_alert_id, p_event_time, p_row_id)\nSETTINGS ${DEDUP_SETTINGS}`,
    );
  }
  ddl.push(...scheduledQueryDdl(), ...alertDdl(), ...rejectionDdl(), ...deadLetterDdl());
  return ddl;
}

/**
 * Creates what is missing, then adds to each existing log table the columns
 * its schema has gained since it was made (a new declared field, the
 * catch-all of an older lake). Only additions: a column the schema no
 * longer has, or whose type changed, is left as it is, since dropping or
 * converting it could lose events.
 */
export async function applyLakeSchema(client: LakeClient, progress: LakeMigrationProgress = () => undefined): Promise<void> {
  for (const statement of lakeDdl()) await client.command({ query: statement });
  const migrations = await lakeMigrations(client);
  const started = Date.now();
  for (const [i, statement] of migrations.entries()) {
    await client.command({ query: statement });
    progress({ done: i + 1, total: migrations.length, table: statement.split(' ')[2], elapsedMs: Date.now() - started });
  }
}

/**
 * Told after each ALTER of a migration: on a large lake each one can take a
 * while (a column added to every part), and the process is not ready until
 * the last, so the operator should see it moving.
 */
export type LakeMigrationProgress = (step: { done: number; total: number; table: string; elapsedMs: number }) => void;

/** The ALTER statements that bring the lake's log tables up to their schemas; none on a lake made by this version. */
export async function lakeMigrations(client: LakeClient): Promise<string[]> {
  // One read of the catalogue: a no-op ALTER costs as much as a real one (about 12 ms on chDB).
  const result = await client.query({
    query: `SELECT concat(database, '.', table) AS t, name FROM system.columns WHERE database IN ('panther_logs', 'panther_rule_matches', 'panther_rule_errors')`,
    format: 'JSONEachRow',
  });
  const present = new Map<string, Set<string>>();
  for (const row of await result.json<{ t: string; name: string }>()) {
    let names = present.get(row.t);
    if (!names) present.set(row.t, (names = new Set()));
    names.add(row.name);
  }
  const statements: string[] = [];
  for (const [table, columns] of logTableColumns()) {
    const names = present.get(table);
    if (!names) continue;
    const missing = columns.filter((c) => !names.has(c.name));
    if (missing.length > 0) statements.push(`ALTER TABLE ${table} ${missing.map((c) => `ADD COLUMN IF NOT EXISTS \`${c.name}\` ${c.type}`).join(', ')}`);
  }
  return statements;
}

/** Every table a tenant may read, as `database.table`. */
export function tenantScopedTables(): string[] {
  return [
    ...lakeLogSchemas().flatMap((s) => [`panther_logs.${s.table}`, `panther_rule_matches.${s.table}`, `panther_rule_errors.${s.table}`]),
    `panther_rule_matches.${SCHEDULED_ROWS_TABLE}`,
    `panther_rule_errors.${SCHEDULED_ROWS_TABLE}`,
    `panther_rule_matches.${CORRELATION_MATCHES_TABLE}`,
    INGEST_REJECTIONS_TABLE,
    SCHEDULED_QUERY_RUNS_TABLE,
  ];
}

const CREATE_TABLE = /^CREATE TABLE IF NOT EXISTS (\S+) /;
const PARTITION_BY = /\nPARTITION BY (.*)\n/;
const MONTH_OF_COLUMN = /^toYYYYMM\((\w+)\)$/;

let partitionColumns: ReadonlyMap<string, string> | undefined;

/**
 * The time column each partitioned table is partitioned on by month
 * (`PARTITION BY toYYYYMM(column)`), read from the DDL itself so the two
 * cannot drift apart. A table partitioned any other way is an error here: an
 * insert into it could not be split by partition.
 */
export function monthPartitionColumns(): ReadonlyMap<string, string> {
  if (!partitionColumns) {
    const columns = new Map<string, string>();
    for (const statement of lakeDdl()) {
      const table = CREATE_TABLE.exec(statement)?.[1];
      const by = PARTITION_BY.exec(statement)?.[1];
      if (table === undefined || by === undefined) continue;
      const column = MONTH_OF_COLUMN.exec(by.trim())?.[1];
      if (column === undefined) throw new Error(`${table} is partitioned by ${by}, not by the month of a column`);
      columns.set(table, column);
    }
    partitionColumns = columns;
  }
  return partitionColumns;
}

/** The month (YYYYMM, UTC) of a DateTime64 value as rows carry it: ClickHouse text, or ISO 8601. */
export function monthOfTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const at = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? new Date(value) : fromClickHouseTime(value);
  const ms = at.getTime();
  if (Number.isNaN(ms)) return undefined;
  return `${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Which partition of `table` a row goes to (its month), as a key to group an
 * insert by: the engine refuses an insert block that spans more partitions
 * than max_partitions_per_insert_block. Undefined for a table without
 * partitions; '' for a row whose time cannot be read (the engine decides).
 */
export function partitionKeyOf(table: string): ((row: Record<string, unknown>) => string) | undefined {
  const column = monthPartitionColumns().get(table);
  return column === undefined ? undefined : (row) => monthOfTime(row[column]) ?? '';
}
