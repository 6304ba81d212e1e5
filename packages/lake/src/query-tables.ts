import type { LakeClient } from './lake-client';
import { tenantScopedTables } from './lake-schema';
import { QueryRejectedError } from './errors';
import { deniedFunction } from './query-functions';

export interface QueryTreeFacts {
  tables: string[];
  tableFunctions: string[];
  functions: string[];
}

// A SELECT without FROM reads the engine's one-row dummy table: one column,
// always 0, the same for everyone.
const DUMMY_TABLE = 'system.one';

const TABLE_LINE = /^\s*TABLE id: \d+,.* table_name: ([^,\s]+)/;
const TABLE_FUNCTION_LINE = /^\s*TABLE_FUNCTION id: \d+,.* table_function_name: ([^,\s]+)/;
const FUNCTION_LINE = /^\s*FUNCTION id: \d+, function_name: ([^,\s]+)/;

/**
 * Asks the engine's analyzer which tables, table functions and functions a
 * query uses: it resolves CTEs, quoted names, APPLY, subqueries and joins the
 * way the query itself will be resolved. Analysis runs the scalar subqueries,
 * so it runs under the tenant's settings (filters, readonly, limits) and only
 * after checkAst has refused everything that reads outside the lake.
 */
export async function analyzeQueryTree(
  client: LakeClient,
  statement: string,
  settings: string,
  options: { signal?: AbortSignal } = {},
): Promise<QueryTreeFacts> {
  const rs = await client.exec({
    query: `EXPLAIN QUERY TREE ${statement}\nSETTINGS ${settings}`,
    clickhouse_settings: { default_format: 'TabSeparatedRaw' },
    abort_signal: options.signal,
  });
  let text = '';
  for await (const chunk of rs.stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  const tables = new Set<string>();
  const tableFunctions = new Set<string>();
  const functions = new Set<string>();
  // One node per line. A line break inside an alias could forge a line, but
  // a forged line can only add a name here, and every name is then checked:
  // forging can get a query refused, never let through.
  for (const line of text.split('\n')) {
    const table = TABLE_LINE.exec(line);
    if (table) tables.add(table[1]);
    const tableFunction = TABLE_FUNCTION_LINE.exec(line);
    if (tableFunction) tableFunctions.add(tableFunction[1]);
    const fn = FUNCTION_LINE.exec(line);
    if (fn) functions.add(fn[1]);
  }
  return { tables: [...tables], tableFunctions: [...tableFunctions], functions: [...functions] };
}

/** Only the tenant's lake tables may be read, with no table function and no refused function. */
export function checkQueryTree(facts: QueryTreeFacts): void {
  if (facts.tableFunctions.length > 0) {
    throw new QueryRejectedError(`table functions are not allowed: ${facts.tableFunctions.map((f) => `${f}()`).join(', ')}`);
  }
  const allowed = new Set([...tenantScopedTables(), DUMMY_TABLE]);
  const outside = facts.tables.filter((t) => !allowed.has(t));
  if (outside.length > 0) {
    throw new QueryRejectedError(`the query reads ${outside.join(', ')}; only ${tenantScopedTables().join(', ')} may be read`);
  }
  for (const fn of facts.functions) {
    const reason = deniedFunction(fn);
    if (reason !== undefined) throw new QueryRejectedError(`${fn}() is not allowed: ${reason}`);
  }
}
