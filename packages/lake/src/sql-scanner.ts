/**
 * A lexical scan of ClickHouse SQL, just deep enough to find macro calls and
 * to read the engine's own formatting of a query: string literals, heredocs,
 * quoted identifiers and comments are stepped over whole. It follows the
 * engine's lexer where the two could disagree about where a literal or a
 * comment ends (`#` comments, nested block comments, `$tag$` heredocs), but
 * it is not what decides if a query is safe: the engine's parser is.
 */
export type SqlToken =
  | { kind: 'string'; text: string; value: string; start: number; end: number }
  | { kind: 'number'; text: string; start: number; end: number }
  | { kind: 'word'; text: string; start: number; end: number }
  | { kind: 'quoted-ident'; text: string; start: number; end: number }
  | { kind: 'punct'; text: string; start: number; end: number }
  | { kind: 'space'; text: string; start: number; end: number };

export class SqlScanError extends Error {}

const HEREDOC_OPEN = /\$([A-Za-z0-9_]*)\$/y;

export function scanSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const start = i;
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i])) i++;
      tokens.push({ kind: 'space', text: sql.slice(start, i), start, end: i });
    } else if ((c === '-' && sql[i + 1] === '-') || (c === '#' && (sql[i + 1] === ' ' || sql[i + 1] === '!'))) {
      while (i < n && sql[i] !== '\n') i++;
      tokens.push({ kind: 'space', text: sql.slice(start, i), start, end: i });
    } else if (c === '/' && sql[i + 1] === '*') {
      // Block comments nest in ClickHouse: `/* a /* b */ c */` is one comment.
      let depth = 0;
      while (i < n) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      if (depth !== 0) throw new SqlScanError(`unterminated comment at position ${start}`);
      tokens.push({ kind: 'space', text: sql.slice(start, i), start, end: i });
    } else if (c === '$' && heredocTag(sql, i) !== undefined) {
      const tag = heredocTag(sql, i)!;
      const close = sql.indexOf(tag, i + tag.length);
      if (close < 0) throw new SqlScanError(`unterminated heredoc at position ${start}`);
      i = close + tag.length;
      tokens.push({ kind: 'string', text: sql.slice(start, i), value: sql.slice(start + tag.length, close), start, end: i });
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new SqlScanError(`unterminated string literal at position ${start}`);
        const d = sql[i];
        if (d === '\\') {
          if (i + 1 >= n) throw new SqlScanError(`unterminated string literal at position ${start}`);
          value += sql[i + 1];
          i += 2;
        } else if (d === "'") {
          if (sql[i + 1] === "'") {
            value += "'";
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ kind: 'string', text: sql.slice(start, i), value, start, end: i });
    } else if (c === '"' || c === '`') {
      i++;
      for (;;) {
        if (i >= n) throw new SqlScanError(`unterminated quoted identifier at position ${start}`);
        if (sql[i] === '\\') i += 2;
        else if (sql[i] === c && sql[i + 1] === c) i += 2;
        else if (sql[i] === c) break;
        else i++;
      }
      i++;
      tokens.push({ kind: 'quoted-ident', text: sql.slice(start, i), start, end: i });
    } else if (/[0-9]/.test(c)) {
      while (i < n && /[0-9a-zA-Z_.]/.test(sql[i])) i++;
      tokens.push({ kind: 'number', text: sql.slice(start, i), start, end: i });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < n && /[A-Za-z0-9_$]/.test(sql[i])) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i), start, end: i });
    } else {
      i++;
      tokens.push({ kind: 'punct', text: c, start, end: i });
    }
  }
  return tokens;
}

/** `$tag$` (the tag may be empty) when a heredoc opens at `at`. */
function heredocTag(sql: string, at: number): string | undefined {
  HEREDOC_OPEN.lastIndex = at;
  const m = HEREDOC_OPEN.exec(sql);
  return m ? m[0] : undefined;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v', a: '\x07', e: '\x1b' };

/** The name a quoted identifier token stands for, with the engine's escapes undone. */
export function unquoteIdentifier(text: string): string {
  const quote = text[0];
  const body = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length) {
      const d = body[++i];
      if (d === 'x' && /^[0-9A-Fa-f]{2}$/.test(body.slice(i + 1, i + 3))) {
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else out += ESCAPES[d] ?? d;
    } else if (c === quote && body[i + 1] === quote) {
      out += quote;
      i++;
    } else out += c;
  }
  return out;
}
