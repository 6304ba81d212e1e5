import { CaracalError } from '@caracal/core';
import { ALERT_STATUSES, AlertStatus, SEVERITIES, Severity } from '@caracal/core/messages';

function bad(message: string): CaracalError {
  return new CaracalError('INVALID_ARGUMENT', message);
}

/** "open,TRIAGED" → ['OPEN', 'TRIAGED']; names are case-insensitive, repeats are dropped. */
export function parseNameList<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T[] {
  if (text === undefined) return [];
  const names = text
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw bad(`${flag} needs at least one of ${allowed.join(', ')}`);
  const unknown = names.filter((n) => !(allowed as readonly string[]).includes(n));
  if (unknown.length > 0) throw bad(`${flag}: unknown ${unknown.map((u) => `"${u}"`).join(', ')}; use ${allowed.join(', ')}`);
  return [...new Set(names)] as T[];
}

export function parseStatuses(text: string | undefined): AlertStatus[] {
  return parseNameList('--status', text, ALERT_STATUSES);
}

export function parseSeverities(text: string | undefined): Severity[] {
  return parseNameList('--severity', text, SEVERITIES);
}

/** An ISO 8601 time; a bare date or a time without a zone is read as UTC, so the result does not depend on the machine. */
export function parseIsoTime(flag: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text.trim());
  if (!m) throw bad(`${flag} must be an ISO 8601 time such as 2026-11-24T10:00:00Z, got "${text}"`);
  const [, date, time, zone] = m;
  const ms = Date.parse(`${date}T${time ?? '00:00'}${zone ?? 'Z'}`);
  if (Number.isNaN(ms)) throw bad(`${flag} is not a valid time: "${text}"`);
  return new Date(ms);
}
