import type { LakeClient } from './lake-client';
import { expandMacros } from './occurs-macros';
import { canonicalQuery, readCanonical } from './query-canonical';
import { explainAst } from './query-ast';
import { checkAst } from './query-ast-policy';
import { analyzeQueryTree, checkQueryTree } from './query-tables';
import { QueryLimits, tenantQuerySettings } from './tenant-scope';

export interface TenantQuery {
  /** The engine's own formatting of the user's statement, macros expanded: what runs. */
  statement: string;
  /** The SETTINGS clause to append, the only one the statement may carry. */
  settings: string;
}

export interface TenantQueryOptions {
  queryId?: string;
  /** "now" of p_occurs_since; a scheduled query passes its scheduled run time. */
  now?: Date;
  signal?: AbortSignal;
}

/**
 * Turns a tenant's SQL into a statement that is safe to run as that tenant,
 * or refuses it with a QueryRejectedError that names the problem. Each step
 * is the engine's own: it splits and formats the text (one statement only),
 * parses it (one SELECT, no SETTINGS, FORMAT, INTO OUTFILE or PREWHERE, only
 * lake tables, no table functions or refused functions), then analyses it
 * under the tenant's settings and checks what the analysis resolved. What
 * keeps other tenants' rows out is the engine: every lake table read carries
 * the tenant filter of `settings`.
 */
export async function prepareTenantQuery(
  client: LakeClient,
  tenantId: string,
  sql: string,
  limits: QueryLimits,
  options: TenantQueryOptions = {},
): Promise<TenantQuery> {
  const { signal } = options;
  const settings = tenantQuerySettings(tenantId, limits, { queryId: options.queryId });
  const expanded = expandMacros(sql, { now: options.now });
  // chDB runs a call made with an aborted signal all the same (it only drops
  // the answer), so each step looks at the signal before it starts.
  signal?.throwIfAborted();
  const statement = await canonicalQuery(client, expanded, { signal });
  signal?.throwIfAborted();
  checkAst(await explainAst(client, statement, { signal }), statement, readCanonical(statement));
  signal?.throwIfAborted();
  checkQueryTree(await analyzeQueryTree(client, statement, settings, { signal }));
  return { statement, settings };
}
