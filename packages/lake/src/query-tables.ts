import type { LakeClient } from './lake-client';
import { LAKE_DATABASES } from './lake-schema';
import { QueryRejectedError } from './errors';

export interface TablesRead {
  tables: string[];
  tableFunctions: string[];
}

// A SELECT without FROM reads the engine's one-row dummy table.
const DUMMY_TABLE = 'system.one';

/**
 * Asks the engine's own analyzer which tables and table functions a query
 * reads: it resolves CTEs, quoted names, subqueries and joins the same way
 * the query itself will be resolved, which no scan of the text can promise.
 * The explain runs read-only, so nothing it touches can write or reach out.
 */
export async function tablesReadBy(client: LakeClient, statement: string, maxExecutionTimeSeconds: number): Promise<TablesRead> {
  const rs = await client.query({
    query: `EXPLAIN QUERY TREE ${statement}\nSETTINGS readonly = 1, max_execution_time = ${maxExecutionTimeSeconds}`,
    format: 'TabSeparatedRaw',
  });
  const text = await rs.text();
  const tables = new Set<string>();
  const tableFunctions = new Set<string>();
  for (const m of text.matchAll(/\btable_name: ([^\s,]+)/g)) tables.add(m[1]);
  for (const m of text.matchAll(/\btable_function_name: ([^\s,]+)/g)) tableFunctions.add(m[1]);
  return { tables: [...tables], tableFunctions: [...tableFunctions] };
}

/** Only the lake's own databases may be read, and no table function at all. */
export function checkLakeOnly(read: TablesRead): void {
  if (read.tableFunctions.length > 0) {
    throw new QueryRejectedError(`table functions are not allowed: ${read.tableFunctions.map((f) => `${f}()`).join(', ')}`);
  }
  const allowed = (t: string) => t === DUMMY_TABLE || (LAKE_DATABASES as readonly string[]).includes(t.split('.')[0]);
  const outside = read.tables.filter((t) => !allowed(t));
  if (outside.length > 0) {
    throw new QueryRejectedError(`the query reads ${outside.join(', ')}; only the ${LAKE_DATABASES.join(', ')} databases may be read`);
  }
}
