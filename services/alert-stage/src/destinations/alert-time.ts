/**
 * An alert's ClickHouse DateTime64 text (UTC, no zone: `2026-11-24 10:00:00.000`)
 * as ISO-8601 with Z, which receivers parse without knowing it is UTC.
 * Text that is not a time is passed on unchanged rather than lost.
 */
export function isoUtc(text: string | null): string | null {
  if (text === null || text === '') return null;
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(text);
  const ms = Date.parse(hasZone ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}
