import { InvalidArgumentError, MAX_OPAQUE_ID_CHARS, MAX_RULE_ID_CHARS, MAX_SOURCE_ID_CHARS, OPAQUE_ID_PATTERN, OPAQUE_ID_RULE, RULE_ID_PATTERN, RULE_ID_RULE, SOURCE_ID_PATTERN, utf8Bytes } from '@caracal/core';

/*
 * Checks of request fields, run first in every handler: a refusal names the
 * field (as the proto spells it) and its limit, and never quotes the value,
 * which may be megabytes. The limits live in @caracal/core's api-limits.
 */

function tooLong(field: string, max: number, unit: string, got: number): InvalidArgumentError {
  return new InvalidArgumentError(`${field} must be at most ${max} ${unit}, got ${got}`);
}

/** At most `max` UTF-16 characters, as JavaScript and the messages count them. */
export function checkChars(field: string, value: string, max: number): void {
  if (value.length > max) throw tooLong(field, max, 'characters', value.length);
}

/** At most `max` bytes of UTF-8, for bodies (SQL, detection files, events). */
export function checkBytes(field: string, value: string, max: number): void {
  // A UTF-16 unit is at most 3 bytes: short values need no count.
  if (value.length * 3 <= max) return;
  const bytes = utf8Bytes(value);
  if (bytes > max) throw tooLong(field, max, 'bytes', bytes);
}

function checkPattern(field: string, value: string, max: number, pattern: RegExp, rule: string, optional: boolean): void {
  if (value === '' && optional) return;
  checkChars(field, value, max);
  if (!pattern.test(value)) throw new InvalidArgumentError(value === '' ? `${field} is required: ${rule}` : `${field} must be ${rule}`);
}

/** A RuleID, as PutDetection accepts them. `optional`: empty passes (a filter left unset). */
export function checkRuleId(field: string, value: string, optional = false): void {
  checkPattern(field, value, MAX_RULE_ID_CHARS, RULE_ID_PATTERN, RULE_ID_RULE, optional);
}

/** A name people chose, such as a scheduled query's QueryName: any text, bounded. `optional`: empty passes (a filter left unset). */
export function checkName(field: string, value: string, max: number, optional = false): void {
  if (value === '' && !optional) throw new InvalidArgumentError(`${field} is required: 1-${max} characters`);
  checkChars(field, value, max);
}

/** An id the server handed out: alert, token, query. */
export function checkOpaqueId(field: string, value: string): void {
  checkPattern(field, value, MAX_OPAQUE_ID_CHARS, OPAQUE_ID_PATTERN, OPAQUE_ID_RULE, false);
}

/** The id of an existing source. */
export function checkSourceId(field: string, value: string): void {
  checkPattern(field, value, MAX_SOURCE_ID_CHARS, SOURCE_ID_PATTERN, `1-${MAX_SOURCE_ID_CHARS} lower-case letters, digits or dashes`, false);
}

/** Each entry of a repeated field, named by its index. */
export function checkEach(field: string, values: readonly string[], check: (field: string, value: string) => void): void {
  values.forEach((v, i) => check(`${field}[${i}]`, v));
}
