import { QueryRejectedError } from './errors';
import { scanSql, SqlToken } from './sql-scanner';

/** A macro argument, as written: only literals and plain identifiers are accepted. */
type MacroArg = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'word'; value: string };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const UNIT_SECONDS: Record<string, number> = {};
for (const [names, secs] of [
  [['s', 'sec', 'secs', 'second', 'seconds'], 1],
  [['m', 'min', 'mins', 'minute', 'minutes'], 60],
  [['h', 'hr', 'hrs', 'hour', 'hours'], 3600],
  [['d', 'day', 'days'], 86400],
  [['w', 'wk', 'wks', 'week', 'weeks'], 604800],
] as const) {
  for (const name of names) UNIT_SECONDS[name] = secs;
}

export interface MacroOptions {
  /** "now" for p_occurs_since; a scheduled query passes its scheduled run time. */
  now?: Date;
}

/** `'1 day'`, `'96 hrs'`, `'15 min'` or a whole number of seconds. */
export function parseOffsetSeconds(arg: MacroArg, macro: string): number {
  if (arg.kind === 'number') {
    if (!Number.isInteger(arg.value) || arg.value < 0) throw new QueryRejectedError(`${macro}: offset must be a whole number of seconds, got ${arg.value}`);
    return arg.value;
  }
  if (arg.kind === 'string') {
    const m = /^\s*(\d{1,9})\s*([A-Za-z]+)\s*$/.exec(arg.value);
    const unit = m ? UNIT_SECONDS[m[2].toLowerCase()] : undefined;
    if (m && unit !== undefined) return Number(m[1]) * unit;
    if (/^\s*\d{1,12}\s*$/.test(arg.value)) return Number(arg.value);
    throw new QueryRejectedError(
      `${macro}: cannot read offset '${arg.value}'; write a number and a unit such as '1 day', '96 hrs', '15 min', '2 weeks'`,
    );
  }
  throw new QueryRejectedError(`${macro}: offset must be a number of seconds or a quoted duration such as '1 day'`);
}

function parseTimestamp(arg: MacroArg, macro: string, what: string): string {
  if (arg.kind !== 'string') throw new QueryRejectedError(`${macro}: ${what} must be a quoted UTC timestamp such as '2024-01-31 12:00:00'`);
  const text = arg.value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  const date = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0').slice(0, 3)}${m[8] ?? 'Z'}`) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new QueryRejectedError(`${macro}: ${what} '${arg.value}' is not a timestamp such as '2024-01-31 12:00:00' or '2024-01-31T12:00:00Z'`);
  }
  return sqlTime(date);
}

function sqlTime(date: Date): string {
  return `toDateTime64('${date.toISOString().replace('T', ' ').replace('Z', '')}', 3, 'UTC')`;
}

function columnRef(args: MacroArg[], from: number, macro: string): string {
  const [aliasArg, columnArg] = [args[from], args[from + 1]];
  const ident = (a: MacroArg | undefined, what: string): string | undefined => {
    if (a === undefined) return undefined;
    const v = a.kind === 'number' ? undefined : a.value;
    if (v === undefined || !IDENT.test(v)) throw new QueryRejectedError(`${macro}: ${what} must be a plain identifier, got ${JSON.stringify(a.value)}`);
    return v;
  };
  const alias = ident(aliasArg, 'table alias');
  const column = ident(columnArg, 'column') ?? 'p_event_time';
  return alias ? `${alias}.${column}` : column;
}

type Expander = (args: MacroArg[], options: MacroOptions) => string;

function arity(macro: string, args: MacroArg[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    throw new QueryRejectedError(`${macro} takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`);
  }
}

const EXPANDERS: Record<string, Expander> = {
  p_occurs_since(args, options) {
    arity('p_occurs_since', args, 1, 3);
    const secs = parseOffsetSeconds(args[0], 'p_occurs_since');
    const now = options.now ? sqlTime(options.now) : 'now64(3)';
    return `(${columnRef(args, 1, 'p_occurs_since')} >= ${now} - toIntervalSecond(${secs}))`;
  },
  p_occurs_between(args) {
    arity('p_occurs_between', args, 2, 4);
    const start = parseTimestamp(args[0], 'p_occurs_between', 'start');
    const end = parseTimestamp(args[1], 'p_occurs_between', 'end');
    return `(${columnRef(args, 2, 'p_occurs_between')} BETWEEN ${start} AND ${end})`;
  },
  p_occurs_around(args) {
    arity('p_occurs_around', args, 2, 4);
    const ts = parseTimestamp(args[0], 'p_occurs_around', 'timestamp');
    const secs = parseOffsetSeconds(args[1], 'p_occurs_around');
    return `(${columnRef(args, 2, 'p_occurs_around')} BETWEEN ${ts} - toIntervalSecond(${secs}) AND ${ts} + toIntervalSecond(${secs}))`;
  },
  p_occurs_after(args) {
    arity('p_occurs_after', args, 1, 3);
    return `(${columnRef(args, 1, 'p_occurs_after')} >= ${parseTimestamp(args[0], 'p_occurs_after', 'timestamp')})`;
  },
  p_occurs_before(args) {
    arity('p_occurs_before', args, 1, 3);
    return `(${columnRef(args, 1, 'p_occurs_before')} <= ${parseTimestamp(args[0], 'p_occurs_before', 'timestamp')})`;
  },
};

/** Reads the literal arguments of a macro call whose '(' is at tokens[open]; returns them and the index after ')'. */
function readArgs(tokens: SqlToken[], open: number, macro: string): { args: MacroArg[]; next: number } {
  const args: MacroArg[] = [];
  let i = open + 1;
  const skip = () => {
    while (i < tokens.length && tokens[i].kind === 'space') i++;
  };
  skip();
  if (tokens[i]?.text === ')') return { args, next: i + 1 };
  for (;;) {
    skip();
    const t = tokens[i];
    if (!t) throw new QueryRejectedError(`${macro}: missing ')'`);
    let sign = 1;
    let tok = t;
    if (t.kind === 'punct' && t.text === '-') {
      sign = -1;
      i++;
      skip();
      tok = tokens[i];
      if (!tok || tok.kind !== 'number') throw new QueryRejectedError(`${macro}: argument ${args.length + 1} is not a literal`);
    }
    if (tok.kind === 'string') args.push({ kind: 'string', value: tok.value });
    else if (tok.kind === 'number' && /^\d+(\.\d+)?$/.test(tok.text)) args.push({ kind: 'number', value: sign * Number(tok.text) });
    else if (tok.kind === 'word' && sign === 1) args.push({ kind: 'word', value: tok.text });
    else {
      throw new QueryRejectedError(
        `${macro}: argument ${args.length + 1} must be a literal (a quoted string or a whole number) or a plain name, got ${JSON.stringify(tok.text)}`,
      );
    }
    i++;
    skip();
    const sep = tokens[i];
    if (sep?.text === ',') {
      i++;
      continue;
    }
    if (sep?.text === ')') return { args, next: i + 1 };
    throw new QueryRejectedError(
      `${macro}: argument ${args.length} must be a single literal or name; expected ',' or ')' after it, got ${sep ? JSON.stringify(sep.text) : 'the end of the query'}`,
    );
  }
}

/**
 * Replaces every p_occurs_* macro call with the condition it stands for. The
 * arguments are parsed as literals and printed anew, so nothing the user
 * typed inside a macro call reaches the engine as SQL.
 */
export function expandMacros(sql: string, options: MacroOptions = {}): string {
  let tokens: SqlToken[];
  try {
    tokens = scanSql(sql);
  } catch (err) {
    // Without a macro in it, the text goes to the engine as it is, whose parser says best what is wrong.
    if (!/p_occurs_/i.test(sql)) return sql;
    throw new QueryRejectedError(`cannot read the query: ${(err as Error).message}`);
  }
  let out = '';
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    const name = t.kind === 'word' ? t.text.toLowerCase() : '';
    const expander = EXPANDERS[name];
    if (expander) {
      let j = i + 1;
      while (j < tokens.length && tokens[j].kind === 'space') j++;
      if (tokens[j]?.text !== '(') throw new QueryRejectedError(`${name} must be called with arguments, e.g. ${name}('1 day')`);
      const { args, next } = readArgs(tokens, j, name);
      out += expander(args, options);
      i = next;
      continue;
    }
    out += t.text;
    i++;
  }
  return out;
}
