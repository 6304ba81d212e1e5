import type { CaracalConfig } from '@caracal/core';
import { QueryRejectedError } from './errors';
import { tenantScopedTables } from './lake-schema';

const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const QUERY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type QueryLimits = Pick<
  CaracalConfig['query'],
  'maxExecutionTimeSeconds' | 'maxResultRows' | 'maxResultBytes' | 'maxMemoryUsageBytes' | 'maxRowsToRead' | 'maxBytesToRead'
>;

export function checkTenantId(tenantId: string): void {
  if (!TENANT_ID.test(tenantId)) throw new QueryRejectedError(`invalid tenant id "${tenantId}"`);
}

export function checkQueryId(queryId: string): void {
  if (!QUERY_ID.test(queryId)) throw new QueryRejectedError(`invalid query id "${queryId}": use 1 to 64 letters, digits, '-' or '_'`);
}

/**
 * What the engine records as the query's log_comment: system.processes shows
 * it on chDB and on a server alike, so it is how a running query is found to
 * be killed (chDB makes up its own query ids).
 */
export function queryMarker(tenantId: string, queryId: string): string {
  checkTenantId(tenantId);
  checkQueryId(queryId);
  return `caracal-query:${tenantId}:${queryId}`;
}

/**
 * The SETTINGS that make the engine itself filter every lake table to one
 * tenant, refuse writes and bound the work. The tenant id comes from
 * credentials and is checked against the id pattern before it is quoted.
 *
 * readonly = 1 comes first in the clause, yet the limits after it still
 * apply: the engine checks a query's own SETTINGS against the settings in
 * force before them. It does not protect the filters from the statement:
 * a SETTINGS clause in a subquery or CTE replaces additional_table_filters
 * even under readonly = 1 (ClickHouse 26.7 in chDB 3.4). checkAst refusing
 * every SETTINGS clause of the statement is what keeps these in force.
 */
export function tenantQuerySettings(tenantId: string, limits: QueryLimits, options: { queryId?: string } = {}): string {
  checkTenantId(tenantId);
  // The filter text is a string inside a map literal inside SETTINGS: quote twice.
  const filter = `p_tenant_id = ''${tenantId}''`;
  const map = tenantScopedTables()
    .map((t) => `'${t}': '${filter}'`)
    .join(', ');
  const settings = [
    `additional_table_filters = {${map}}`,
    'readonly = 1',
    // EXPLAIN QUERY TREE and the table filters above are the new analyzer's;
    // a server whose profile turned it off must not silently use the old one.
    'allow_experimental_analyzer = 1',
    // A condition moved to PREWHERE runs before the table filters and sees
    // every tenant's rows: an error it raises can quote another tenant's
    // value. Kept off, WHERE runs on the filtered rows only.
    'optimize_move_to_prewhere = 0',
    'optimize_move_to_prewhere_if_final = 0',
    // Answers from part metadata rather than rows would skip the filters.
    'optimize_trivial_count_query = 0',
    'optimize_use_projections = 0',
    'optimize_use_implicit_projections = 0',
    `max_execution_time = ${limits.maxExecutionTimeSeconds}`,
    "timeout_overflow_mode = 'throw'",
    `max_result_rows = ${limits.maxResultRows}`,
    `max_result_bytes = ${limits.maxResultBytes}`,
    "result_overflow_mode = 'throw'",
    `max_memory_usage = ${limits.maxMemoryUsageBytes}`,
    `max_rows_to_read = ${limits.maxRowsToRead}`,
    `max_bytes_to_read = ${limits.maxBytesToRead}`,
    "read_overflow_mode = 'throw'",
    // A server stops the query when the caller's connection goes away.
    'cancel_http_readonly_queries_on_client_close = 1',
  ];
  if (options.queryId !== undefined) settings.push(`log_comment = '${queryMarker(tenantId, options.queryId)}'`);
  return settings.join(', ');
}
