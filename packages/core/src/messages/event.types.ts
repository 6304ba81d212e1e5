/** A normalized event: the raw fields of its log type plus the p_ standard fields. */
export interface NormalizedEvent {
  p_log_type: string;
  p_tenant_id: string;
  p_row_id: string;
  /** ClickHouse DateTime64(3) text in UTC: `2022-04-22 15:39:55.358`. */
  p_event_time: string;
  p_parse_time: string;
  p_source_id: string;
  p_source_label: string;
  p_schema_version: number;
  p_any_ip_addresses: string[];
  p_any_usernames: string[];
  p_any_emails: string[];
  p_any_trace_ids: string[];
  p_any_actor_ids: string[];
  /**
   * The event's top-level fields its schema does not declare, as they came;
   * absent when there are none. The lake keeps them in one JSON column and
   * the detection harness puts them back at the top level, so a rule reads
   * them where the sender put them.
   */
  p_extra_fields?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The catch-all column's name: no schema may declare it (field names cannot start with p_). */
export const EXTRA_FIELDS = 'p_extra_fields';

/** The p_ fields Caracal sets on every event it normalizes (the catch-all aside). */
export const STANDARD_EVENT_FIELDS: readonly string[] = [
  'p_log_type',
  'p_tenant_id',
  'p_row_id',
  'p_event_time',
  'p_parse_time',
  'p_source_id',
  'p_source_label',
  'p_schema_version',
  'p_any_ip_addresses',
  'p_any_usernames',
  'p_any_emails',
  'p_any_trace_ids',
  'p_any_actor_ids',
];

export type Severity = 'INFO' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export const SEVERITIES: readonly Severity[] = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/**
 * Log type name to the table and topic suffix, as Panther names its tables:
 * lower case, separators as underscores, words not split (Panther.Audit ->
 * panther_audit, GitHub.Audit -> github_audit, Okta.SystemLog -> okta_systemlog).
 */
export function logTypeSlug(logType: string): string {
  return logType.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();
}

/** A Date from ClickHouse DateTime64 text in UTC (no zone): the inverse of toClickHouseTime. */
export function fromClickHouseTime(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}

/** ClickHouse DateTime64(3) text for a Date, always UTC. */
export function toClickHouseTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
