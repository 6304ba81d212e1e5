import type { MatchExpression } from './content.types';
import { isMapping } from './spec-reader';

// Panther's YAML match expressions (a simple detection's Detection, any rule's
// InlineFilters), checked at load. They are evaluated in Python
// (_caracal/match_expression.py), on the stream and in tests; these sets are
// the conditions that evaluator implements, and must stay in step with it.
const SCALAR_CONDITIONS = new Set([
  'Equals',
  'DoesNotEqual',
  'IEquals',
  'IDoesNotEqual',
  'Contains',
  'DoesNotContain',
  'IContains',
  'IDoesNotContain',
  'StartsWith',
  'DoesNotStartWith',
  'IStartsWith',
  'IDoesNotStartWith',
  'EndsWith',
  'DoesNotEndWith',
  'IEndsWith',
  'IDoesNotEndWith',
  'IsGreaterThan',
  'IsGreaterThanOrEquals',
  'IsLessThan',
  'IsLessThanOrEquals',
  'IsIPAddressInCIDR',
  'IsIPAddressNotInCIDR',
]);
const VALUE_FREE_CONDITIONS = new Set([
  'Exists',
  'DoesNotExist',
  'IsNull',
  'IsNotNull',
  'IsNullOrEmpty',
  'IsNotNullOrEmpty',
  'IsIPAddressPublic',
  'IsIPAddressPrivate',
]);
const LIST_CONDITIONS = new Set(['IsIn', 'IsNotIn']);
const ELEMENT_CONDITIONS = new Set(['AnyElement', 'AllElements', 'OnlyOneElement', 'NoElement']);
const ABSOLUTE_CONDITIONS = new Set(['AlwaysTrue', 'AlwaysFalse']);
const COMBINATORS = ['All', 'Any', 'OnlyOne', 'None'] as const;
const KEY_SPECIFIERS = ['Key', 'DeepKey', 'KeyPath'] as const;
const EXPRESSION_KEYS = new Set(['Condition', 'Value', 'Values', 'Expressions', ...KEY_SPECIFIERS]);
/**
 * Parts of the format Caracal recognises but does not evaluate: a detection
 * using them is reported unsupported (naming the construct), never run with
 * the part silently ignored.
 */
const NOT_IMPLEMENTED_KEYS: Record<string, string> = {
  Enrichment: 'enrichment match expressions (Enrichment: lookup tables are not loaded)',
  KeyCount: 'key count match expressions (KeyCount)',
};
// One KeyPath segment: a name, then any [n] / [*]; or bare indexes.
const KEY_PATH_SEGMENT = /^(?:[^.[\]]+)?(?:\[(?:\*|-?\d+)\])*$/;

/** What checking found: problems make the spec invalid, `unsupported` names a construct not implemented. */
export interface MatchExpressionCheck {
  problems: { key: string; problem: string }[];
  unsupported?: string;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'list' : typeof value;
}

// The reference schema: a Value is a string, number or boolean (not null); Values a list of one of those types.
function isValue(value: unknown): boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

function isValueList(value: unknown): boolean {
  return Array.isArray(value) && value.every(isValue) && new Set(value.map((v) => typeof v)).size <= 1;
}

/**
 * `detection`: the full language (a YAML detection's Detection, DynamicSeverities).
 * `filter`: InlineFilters, which the reference schema restricts to KeyPath keys
 * and the All / Any combinators.
 */
export type MatchExpressionContext = 'detection' | 'filter';

class Checker {
  readonly result: MatchExpressionCheck = { problems: [] };

  constructor(private readonly context: MatchExpressionContext = 'detection') {}

  fail(key: string, problem: string): void {
    this.result.problems.push({ key, problem });
  }

  notImplemented(construct: string): void {
    this.result.unsupported ??= construct;
  }

  /** A key specifier ({Key}, {DeepKey} or {KeyPath}) at `where`; false when there is none. */
  keySpecifier(doc: Record<string, unknown>, where: string, required: boolean): boolean {
    const present = KEY_SPECIFIERS.filter((k) => doc[k] !== undefined);
    if (present.length === 0) {
      if (required) this.fail(where, 'needs one of Key, DeepKey or KeyPath');
      return false;
    }
    if (present.length > 1) this.fail(where, `has ${present.join(' and ')}: give one key specifier`);
    const key = present[0];
    const value = doc[key];
    if (key === 'Key' && (typeof value !== 'string' || value === '')) this.fail(`${where}.Key`, `expected a non-empty string, got ${typeName(value)}`);
    if (key === 'DeepKey') {
      const ok = Array.isArray(value) && value.length > 0 && value.every((p) => (typeof p === 'string' && p !== '') || Number.isInteger(p));
      if (!ok) this.fail(`${where}.DeepKey`, 'expected a non-empty list of key names');
    }
    if (key === 'KeyPath') {
      if (typeof value !== 'string' || value === '') this.fail(`${where}.KeyPath`, `expected a non-empty string, got ${typeName(value)}`);
      else if (value.split('.').some((segment) => segment === '' || !KEY_PATH_SEGMENT.test(segment))) {
        this.fail(`${where}.KeyPath`, `cannot read ${JSON.stringify(value)}: expected names separated by dots, each with optional [n] or [*]`);
      }
    }
    return true;
  }

  list(value: unknown, where: string): void {
    if (!Array.isArray(value)) {
      this.fail(where, `expected a list of match expressions, got ${typeName(value)}`);
      return;
    }
    value.forEach((item, i) => this.expression(item, `${where}[${i}]`));
  }

  expression(value: unknown, where: string): void {
    if (!isMapping(value)) {
      this.fail(where, `expected a match expression (a mapping), got ${typeName(value)}`);
      return;
    }
    for (const key of Object.keys(value)) {
      if (key in NOT_IMPLEMENTED_KEYS) this.notImplemented(NOT_IMPLEMENTED_KEYS[key]);
    }
    const combinators = COMBINATORS.filter((k) => k in value);
    if (this.context === 'filter' && combinators.some((k) => k === 'OnlyOne' || k === 'None')) {
      this.fail(`${where}.${combinators[0]}`, 'InlineFilters combine expressions with All or Any only');
      return;
    }
    if (combinators.length > 0) {
      if (Object.keys(value).length > 1) this.fail(where, `a combinator (${combinators[0]}) stands alone in its mapping; found also ${Object.keys(value).filter((k) => k !== combinators[0]).join(', ')}`);
      this.list(value[combinators[0]], `${where}.${combinators[0]}`);
      return;
    }
    for (const key of Object.keys(value)) {
      if (!EXPRESSION_KEYS.has(key) && !(key in NOT_IMPLEMENTED_KEYS)) this.fail(`${where}.${key}`, 'unknown key of a match expression');
    }
    const condition = value.Condition;
    if (typeof condition !== 'string') {
      this.fail(`${where}.Condition`, condition === undefined ? 'required key is missing' : `expected a string, got ${typeName(condition)}`);
      return;
    }
    // An enrichment expression names a lookup table field, not an event key: not evaluated here.
    if ('Enrichment' in value) return;
    if (this.context === 'filter') {
      for (const key of ['Key', 'DeepKey'] as const) {
        if (key in value) this.fail(`${where}.${key}`, 'InlineFilters name event keys by KeyPath only');
      }
      if (!('KeyPath' in value)) {
        this.fail(where, 'an InlineFilters expression needs a KeyPath (or is an All / Any group)');
        return;
      }
      if (ELEMENT_CONDITIONS.has(condition) || 'Expressions' in value) {
        this.fail(`${where}.Condition`, `${condition} (a list comprehension) is not allowed in InlineFilters`);
        return;
      }
    }
    if (ABSOLUTE_CONDITIONS.has(condition)) {
      const extra = Object.keys(value).filter((k) => k !== 'Condition');
      if (extra.length > 0) this.fail(where, `${condition} takes no other keys, found ${extra.join(', ')}`);
      return;
    }
    const hasKey = this.keySpecifier(value, where, false);
    if (!hasKey) {
      // Multi-key: two key specifiers compared with each other.
      if (Array.isArray(value.Values) && SCALAR_CONDITIONS.has(condition)) {
        if (value.Values.length !== 2) this.fail(`${where}.Values`, `a multi-key match compares two keys, got ${value.Values.length}`);
        value.Values.forEach((item, i) => {
          if (isMapping(item)) this.keySpecifier(item, `${where}.Values[${i}]`, true);
          else this.fail(`${where}.Values[${i}]`, 'expected a key specifier ({Key|DeepKey|KeyPath})');
        });
        return;
      }
      if (!SCALAR_CONDITIONS.has(condition) && !VALUE_FREE_CONDITIONS.has(condition) && !LIST_CONDITIONS.has(condition) && !ELEMENT_CONDITIONS.has(condition)) {
        this.notImplemented(`Condition ${JSON.stringify(condition)}`);
        return;
      }
      this.fail(where, 'needs one of Key, DeepKey or KeyPath');
      return;
    }
    if (ELEMENT_CONDITIONS.has(condition)) {
      if (value.Expressions === undefined) this.fail(`${where}.Expressions`, `required with Condition ${condition}`);
      else this.list(value.Expressions, `${where}.Expressions`);
    } else if (LIST_CONDITIONS.has(condition)) {
      if (!isValueList(value.Values)) this.fail(`${where}.Values`, `expected a list of strings, numbers or booleans (one type) with Condition ${condition}`);
    } else if (VALUE_FREE_CONDITIONS.has(condition)) {
      if ('Value' in value || 'Values' in value) this.fail(where, `Condition ${condition} takes no Value`);
    } else if (SCALAR_CONDITIONS.has(condition)) {
      if (!('Value' in value)) this.fail(`${where}.Value`, `required with Condition ${condition}`);
      else if (!isValue(value.Value)) this.fail(`${where}.Value`, `expected a string, number or boolean, got ${typeName(value.Value)}`);
    } else {
      this.notImplemented(`Condition ${JSON.stringify(condition)}`);
    }
    if (!ELEMENT_CONDITIONS.has(condition) && 'Expressions' in value) this.fail(`${where}.Expressions`, `only with AnyElement, AllElements, OnlyOneElement or NoElement, not ${condition}`);
  }
}

/** Checks a list of match expressions (an implicit All) found under `key`. */
export function checkMatchExpressions(
  value: unknown,
  key: string,
  options: { nonEmpty?: boolean; context?: MatchExpressionContext } = {},
): MatchExpressionCheck & { expressions?: MatchExpression[] } {
  const checker = new Checker(options.context);
  if (!Array.isArray(value)) {
    checker.fail(key, `expected a list of match expressions, got ${typeName(value)}`);
    return checker.result;
  }
  if (options.nonEmpty && value.length === 0) checker.fail(key, 'must not be empty');
  checker.list(value, key);
  const { problems, unsupported } = checker.result;
  return problems.length > 0 || unsupported !== undefined ? { problems, unsupported } : { problems, expressions: value as MatchExpression[] };
}

/** Checks one key specifier mapping ({Key|DeepKey|KeyPath}) found under `key`. */
export function checkKeySpecifier(value: unknown, key: string): MatchExpressionCheck {
  const checker = new Checker();
  if (!isMapping(value)) checker.fail(key, `expected a key specifier ({Key|DeepKey|KeyPath}), got ${typeName(value)}`);
  else {
    checker.keySpecifier(value, key, true);
    for (const k of Object.keys(value)) {
      if (!(KEY_SPECIFIERS as readonly string[]).includes(k)) checker.fail(`${key}.${k}`, 'unknown key of a key specifier');
    }
  }
  return checker.result;
}
