import type { LakeClient } from './lake-client';
import { QueryRejectedError } from './errors';
import { engineMessage } from './engine-message';
import { scanSql, unquoteIdentifier } from './sql-scanner';

/** A string literal the engine reads back as exactly `text`. */
export function sqlStringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The engine's own rendering of the query. formatQuery parses the text as
 * one statement (a second statement is a syntax error, however a comment,
 * heredoc or escape hides the ';'), drops the comments and prints every
 * literal and identifier quoted its own way. Every later step reads, and
 * runs, this text only. The user's text travels as a string literal: nothing
 * in it can end the statement that carries it, which matters because chDB
 * runs every statement of a multi-statement text.
 */
export async function canonicalQuery(client: LakeClient, sql: string, options: { signal?: AbortSignal } = {}): Promise<string> {
  if (sql.includes('\0')) throw new QueryRejectedError('the query contains a NUL character');
  if (sql.trim() === '') throw new QueryRejectedError('the query is empty');
  let rows: { canonical: string }[];
  try {
    const rs = await client.query({
      query: `SELECT formatQuery(${sqlStringLiteral(sql)}) AS canonical\nSETTINGS readonly = 1, max_execution_time = 10`,
      format: 'JSONEachRow',
      abort_signal: options.signal,
    });
    rows = await rs.json<{ canonical: string }>();
  } catch (err) {
    const e = err as { type?: string };
    if (e.type === 'SYNTAX_ERROR') {
      const message = engineMessage(err);
      if (/Multi-statements are not allowed/.test(message)) throw new QueryRejectedError(`only one statement per query is allowed: ${message}`);
      if (/^Empty query/.test(message)) throw new QueryRejectedError('the query is empty');
      throw new QueryRejectedError(`the query is not valid SQL: ${message}`);
    }
    throw err;
  }
  const canonical = rows[0]?.canonical;
  if (typeof canonical !== 'string' || canonical.trim() === '') throw new QueryRejectedError('the query is empty');
  return canonical;
}

export interface CanonicalFacts {
  /** Names that WITH binds to a subquery: a FROM naming one of them reads no table. */
  cteNames: Set<string>;
  /** Where the text has a PREWHERE clause: the engine's dump of the tree does not say. */
  prewhere: boolean;
  /** The first identifier with a control character in it, if any. */
  controlCharIdentifier?: string;
}

/**
 * What the engine's dump of the tree leaves out, read from the canonical
 * text. The scanner is reliable here because the text is the formatter's:
 * no comments, no heredocs, every literal in one quoting style.
 */
export function readCanonical(canonical: string): CanonicalFacts {
  const tokens = scanSql(canonical).filter((t) => t.kind !== 'space');
  const facts: CanonicalFacts = { cteNames: new Set(), prewhere: false };
  tokens.forEach((t, i) => {
    if (t.kind === 'word' && t.text.toUpperCase() === 'PREWHERE') facts.prewhere = true;
    if (t.kind === 'quoted-ident' && facts.controlCharIdentifier === undefined) {
      const name = unquoteIdentifier(t.text);
      // A newline in a name would print as a line of its own in the engine's
      // dump of the tree, where the checks read one node per line.
      if (/[\x00-\x1f\x7f]/.test(name)) facts.controlCharIdentifier = name;
    }
    // `name AS (` only ever opens a common table expression.
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    if ((t.kind === 'word' || t.kind === 'quoted-ident') && next?.kind === 'word' && next.text.toUpperCase() === 'AS' && after?.text === '(') {
      facts.cteNames.add(t.kind === 'word' ? t.text : unquoteIdentifier(t.text));
    }
  });
  return facts;
}
