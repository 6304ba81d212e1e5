import { QueryRejectedError } from './errors';
import type { CanonicalFacts } from './query-canonical';
import { AstNode, walkAst } from './query-ast';
import { deniedFunction, deniedVirtualColumn } from './query-functions';
import { tenantScopedTables } from './lake-schema';

const SELECT_NODES = new Set(['SelectWithUnionQuery', 'SelectIntersectExceptQuery', 'SelectQuery', 'TablesInSelectQuery']);
const IN_FUNCTIONS = new Set(['in', 'notin', 'globalin', 'globalnotin', 'nullin', 'notnullin', 'globalnullin', 'globalnotnullin']);

/**
 * The checks made on the engine's parse before anything of the query runs.
 * They have to come first: analysing a query (the next step) already runs
 * its scalar subqueries, so by then a subquery must read nothing but the
 * tenant's own rows. The analysis is checked again afterwards (checkQueryTree).
 */
export function checkAst(root: AstNode, canonical: string, facts: CanonicalFacts): void {
  if (root.type !== 'SelectWithUnionQuery') {
    const keyword = /^\s*([A-Za-z]+)/.exec(canonical)?.[1]?.toUpperCase() ?? root.type;
    throw new QueryRejectedError(`only SELECT queries are allowed, got ${keyword}`);
  }
  // SelectWithUnionQuery's own children after the list of selects are the
  // clauses that end a statement: SETTINGS, INTO OUTFILE and FORMAT.
  for (const clause of root.children.slice(1)) {
    if (clause.type === 'Set') throw settingsRefused();
    if (clause.type === 'Literal') throw new QueryRejectedError('INTO OUTFILE is not allowed: results come back as rows only');
    if (clause.type === 'Identifier') throw new QueryRejectedError(`FORMAT is not allowed (got FORMAT ${clause.detail}): results come back as rows only`);
    throw new QueryRejectedError(`only a plain SELECT is allowed, got a ${clause.type} clause`);
  }
  if (facts.controlCharIdentifier !== undefined) {
    throw new QueryRejectedError(`names may not contain control characters: ${JSON.stringify(facts.controlCharIdentifier)}`);
  }
  if (facts.prewhere) {
    throw new QueryRejectedError('PREWHERE is not allowed: it runs before the tenant filter; write the condition in WHERE');
  }
  const aliases = new Set<string>();
  for (const { node } of walkAst(root)) if (node.alias !== undefined) aliases.add(node.alias);
  const tenantTables = new Set(tenantScopedTables());

  for (const { node, parent } of walkAst(root)) {
    if (node.type === 'Set') throw settingsRefused();
    if (node.type.endsWith('Query') && !SELECT_NODES.has(node.type)) {
      throw new QueryRejectedError(`only SELECT is allowed, even inside a query; found ${node.type}`);
    }
    if (node.type === 'ColumnsApplyTransformer') {
      throw new QueryRejectedError('APPLY is not allowed: it calls functions by name, out of sight of the checks');
    }
    if (node.type === 'Function' && parent?.type === 'TableExpression') {
      throw new QueryRejectedError(`table functions are not allowed: ${node.detail}(); read the lake tables, e.g. panther_logs.panther_audit`);
    }
    if (node.type === 'Function') {
      const reason = deniedFunction(node.detail);
      if (reason !== undefined) throw new QueryRejectedError(`${node.detail}() is not allowed: ${reason}`);
      if (IN_FUNCTIONS.has(node.detail.toLowerCase())) checkInTarget(node, tenantTables, facts, aliases);
    }
    if (node.type === 'TableIdentifier') checkTableName(node.detail, tenantTables, facts);
    if (node.type === 'Identifier') {
      const column = node.detail.split('.').pop() ?? '';
      if (deniedVirtualColumn(column)) {
        throw new QueryRejectedError(`the virtual column ${column} is not allowed: the parts it describes hold every tenant's rows`);
      }
    }
  }
}

function settingsRefused(): QueryRejectedError {
  return new QueryRejectedError('SETTINGS is not allowed in a query: the service sets the limits itself');
}

/** A table named in FROM or JOIN: a lake table of the tenant's, or a WITH name of the query itself. */
function checkTableName(name: string, tenantTables: Set<string>, facts: CanonicalFacts): void {
  if (tenantTables.has(name)) return;
  if (!name.includes('.') && facts.cteNames.has(name)) return;
  throw new QueryRejectedError(`the query reads ${name}; only ${[...tenantTables].join(', ')} may be read`);
}

/** `x IN name` reads a table when the name is not one of the query's own. */
function checkInTarget(fn: AstNode, tenantTables: Set<string>, facts: CanonicalFacts, aliases: Set<string>): void {
  const target = fn.children[0]?.children[1];
  if (target?.type !== 'Identifier') return;
  const name = target.detail;
  const first = name.split('.')[0];
  if (tenantTables.has(name) || facts.cteNames.has(first) || aliases.has(first)) return;
  throw new QueryRejectedError(`the query reads ${name}; only ${[...tenantTables].join(', ')} may be read`);
}
