import type { LakeClient } from './lake-client';
import { QueryRejectedError } from './errors';

/** One node of the engine's EXPLAIN AST dump. */
export interface AstNode {
  /** The engine's node type: SelectQuery, Function, TableIdentifier, Set, … */
  type: string;
  /** What follows the type on its line, alias and child count removed: a function's or table's name, a literal. */
  detail: string;
  alias?: string;
  children: AstNode[];
}

const NODE_LINE = /^( *)(\S+)(.*?)(?: \(children (\d+)\))?$/;
const ALIAS = /^(.*?) \(alias (.*)\)$/;

/**
 * The engine's parse of one statement. EXPLAIN AST parses and prints, and
 * runs nothing: no table is read and no function is called, whatever the
 * statement holds.
 */
export async function explainAst(client: LakeClient, statement: string, options: { signal?: AbortSignal } = {}): Promise<AstNode> {
  // exec sends the text as it is: query() would append a FORMAT clause, which
  // EXPLAIN would take as part of the explained statement.
  const rs = await client.exec({
    query: `EXPLAIN AST ${statement}`,
    clickhouse_settings: { default_format: 'TabSeparatedRaw' },
    abort_signal: options.signal,
  });
  let text = '';
  for await (const chunk of rs.stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return parseAstDump(text);
}

/**
 * Reads the dump strictly: each node is one line, indented one space per
 * level, and a node that says it has N children is followed by exactly N
 * subtrees. A name with a line break in it would print a line of its own;
 * this reading refuses any dump that does not add up rather than guess.
 */
export function parseAstDump(text: string): AstNode {
  const lines = text.replace(/\n$/, '').split('\n');
  let at = 0;
  const unexpected = (): never => {
    throw new QueryRejectedError("the query could not be checked: the engine's parse of it has an unexpected shape");
  };
  const readNode = (depth: number): AstNode => {
    const line = lines[at++];
    const m = line === undefined ? null : NODE_LINE.exec(line);
    if (!m || m[1].length !== depth) return unexpected();
    let detail = m[3].trim();
    let alias: string | undefined;
    const a = ALIAS.exec(` ${detail}`);
    if (a) {
      detail = a[1].trim();
      alias = a[2];
    }
    const count = m[4] === undefined ? 0 : Number(m[4]);
    const children: AstNode[] = [];
    for (let k = 0; k < count; k++) children.push(readNode(depth + 1));
    return { type: m[2], detail, alias, children };
  };
  const root = readNode(0);
  if (at !== lines.length) unexpected();
  return root;
}

/** Every node of the tree with its parent, depth first. */
export function* walkAst(node: AstNode, parent?: AstNode): Generator<{ node: AstNode; parent?: AstNode }> {
  yield { node, parent };
  for (const child of node.children) yield* walkAst(child, node);
}
