/** One field of a five-field cron expression: its bounds and the names it may use. */
interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // 7 is Sunday too, as in most cron implementations.
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS },
];

function value(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) return undefined;
  return field.names === MONTHS ? index + 1 : index;
}

/** Why one comma-separated item of a field is invalid, or undefined when it is valid. */
function itemProblem(item: string, field: CronField): string | undefined {
  const [range, step, ...extra] = item.split('/');
  if (extra.length > 0) return `"${item}" has more than one "/"`;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `"${item}" needs a positive step after "/"`;
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${item}" is not a value or a range`;
  const numbers = bounds.map((b) => value(b, field));
  if (numbers.some((n) => n === undefined)) {
    const named = field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : '';
    return `"${item}" is not in ${field.min}-${field.max}${named}`;
  }
  if (numbers.length === 2 && numbers[0]! > numbers[1]!) return `"${item}" is a range that ends before it starts`;
  return undefined;
}

/**
 * Why `expression` is not a five-field cron expression (minute hour
 * day-of-month month day-of-week, each `*`, values, ranges, lists and `/`
 * steps), or undefined when it is one.
 */
export function cronExpressionProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  }
  for (let i = 0; i < FIELDS.length; i += 1) {
    for (const item of fields[i].split(',')) {
      const problem = item === '' ? 'an empty list item' : itemProblem(item, FIELDS[i]);
      if (problem !== undefined) return `${FIELDS[i].name}: ${problem}`;
    }
  }
  return undefined;
}

/** The values one field of an expression allows, and whether it is unrestricted (an item `*` or `*`/1). */
export interface CronFieldSet {
  allowed: Set<number>;
  star: boolean;
}

function expandField(text: string, field: CronField): CronFieldSet {
  const allowed = new Set<number>();
  let star = false;
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = field.min;
    let to = field.max;
    if (range === '*') star ||= step === 1;
    else {
      const [a, b] = range.split('-');
      from = value(a, field) as number;
      // `5/15` is `5-max/15`, as the common cron implementations read it.
      to = b !== undefined ? (value(b, field) as number) : stepText !== undefined ? field.max : from;
    }
    for (let v = from; v <= to; v += step) allowed.add(v);
  }
  return { allowed, star };
}

/**
 * The five fields of a valid expression (checked with cronExpressionProblem
 * first), minute to day of week, as the values each allows; Sunday is both 0
 * and 7 in the day of week.
 */
export function expandCronExpression(expression: string): CronFieldSet[] {
  const sets = expression
    .trim()
    .split(/\s+/)
    .map((text, i) => expandField(text, FIELDS[i]));
  if (sets[4].allowed.has(7)) sets[4].allowed.add(0);
  return sets;
}
