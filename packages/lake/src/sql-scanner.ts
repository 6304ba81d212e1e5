/**
 * A lexical scan of ClickHouse SQL, just deep enough to find macro calls:
 * string literals, quoted identifiers and comments are stepped over whole, so
 * a macro name inside them is never expanded.
 */
export type SqlToken =
  | { kind: 'string'; text: string; value: string; start: number; end: number }
  | { kind: 'number'; text: string; start: number; end: number }
  | { kind: 'word'; text: string; start: number; end: number }
  | { kind: 'quoted-ident'; text: string; start: number; end: number }
  | { kind: 'punct'; text: string; start: number; end: number }
  | { kind: 'space'; text: string; start: number; end: number };

export class SqlScanError extends Error {}

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
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      tokens.push({ kind: 'space', text: sql.slice(start, i), start, end: i });
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw new SqlScanError(`unterminated comment at position ${start}`);
      i = close + 2;
      tokens.push({ kind: 'space', text: sql.slice(start, i), start, end: i });
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
      while (i < n && sql[i] !== c) i += sql[i] === '\\' ? 2 : 1;
      if (i >= n) throw new SqlScanError(`unterminated quoted identifier at position ${start}`);
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
