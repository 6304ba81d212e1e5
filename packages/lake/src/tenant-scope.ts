import { QueryRejectedError } from './errors';
import { tenantScopedTables } from './lake-schema';
import { scanSql } from './sql-scanner';

const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The SETTINGS that make the engine itself filter every lake table to one
 * tenant and refuse writes. The tenant id comes from credentials and is
 * checked against the id pattern before it is quoted.
 */
export function tenantQuerySettings(tenantId: string, limits: { maxExecutionTimeSeconds: number; maxResultRows: number }): string {
  if (!TENANT_ID.test(tenantId)) throw new QueryRejectedError(`invalid tenant id "${tenantId}"`);
  // The filter text is a string inside a map literal inside SETTINGS: quote twice.
  const filter = `p_tenant_id = ''${tenantId}''`;
  const map = tenantScopedTables()
    .map((t) => `'${t}': '${filter}'`)
    .join(', ');
  return [
    `additional_table_filters = {${map}}`,
    'readonly = 1',
    `max_execution_time = ${limits.maxExecutionTimeSeconds}`,
    `max_result_rows = ${limits.maxResultRows}`,
    "result_overflow_mode = 'throw'",
  ].join(', ');
}

/**
 * A first gate before the engine sees the query: one statement, and it reads.
 * This is not the isolation boundary (the engine's settings above are); it
 * turns the common mistakes into clear errors.
 */
export function checkReadOnlyStatement(sql: string): string {
  const tokens = scanSql(sql).filter((t) => t.kind !== 'space');
  while (tokens.length > 0 && tokens[tokens.length - 1].text === ';') tokens.pop();
  if (tokens.length === 0) throw new QueryRejectedError('the query is empty');
  if (tokens.some((t) => t.text === ';')) throw new QueryRejectedError('only one statement per query is allowed');
  const first = tokens[0].text.toUpperCase();
  if (first !== 'SELECT' && first !== 'WITH') throw new QueryRejectedError(`only SELECT queries are allowed, got ${first}`);
  const words = new Set(tokens.filter((t) => t.kind === 'word').map((t) => t.text.toUpperCase()));
  for (const w of ['SETTINGS', 'INTO', 'FORMAT']) {
    if (words.has(w)) throw new QueryRejectedError(`${w} is not allowed in a query`);
  }
  const last = tokens[tokens.length - 1];
  return sql.slice(0, last.end);
}
