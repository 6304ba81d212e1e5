/**
 * A log type as configuration: the YAML files of packages/core/log-schemas,
 * modelled on Panther's custom log schemas. The schema says which fields an
 * event has, how each is checked and which p_any_* indicators it feeds; the
 * lake's columns are derived from it.
 */

export const LOG_FIELD_TYPES = ['string', 'int', 'bigint', 'float', 'boolean', 'timestamp', 'object', 'array', 'json'] as const;
export type LogFieldType = (typeof LOG_FIELD_TYPES)[number];

/** Which p_any_* field an indicator fills. */
export const INDICATOR_FIELDS = {
  ip: 'p_any_ip_addresses',
  username: 'p_any_usernames',
  email: 'p_any_emails',
  trace_id: 'p_any_trace_ids',
  actor_id: 'p_any_actor_ids',
} as const;
export type Indicator = keyof typeof INDICATOR_FIELDS;
export const INDICATORS = Object.keys(INDICATOR_FIELDS) as Indicator[];

/** Indicators whose values have a recognisable shape, so they can be looked for among the strings of a free-form value. */
export const SCANNABLE_INDICATORS: readonly Indicator[] = ['ip', 'email'];

/**
 * The named time formats; anything else in timeFormats is a strftime-style pattern.
 * `lake` is the text a data lake stores and hands back (Panther's and Caracal's
 * `2022-08-16 16:56:49.309`, UTC, fraction optional): events exported from a
 * lake, and the public content's own test events, carry their times in it.
 */
export const NAMED_TIME_FORMATS = ['rfc3339', 'unix', 'unix_ms', 'unix_us', 'unix_ns', 'lake'] as const;
export type NamedTimeFormat = (typeof NAMED_TIME_FORMATS)[number];

export type IpVersion = 'any' | 'ipv4' | 'ipv6';

export interface StringValidation {
  /** The value must be one of these. */
  allow?: readonly string[];
  /** The value must not be one of these. */
  deny?: readonly string[];
  /** The value must be an IP address (of that version). */
  ip?: IpVersion;
}

/** How one value is read: a field's value, or the elements of an array. */
export interface ValueSchema {
  type: LogFieldType;
  description?: string;
  indicators: readonly Indicator[];
  /** string only. */
  validate?: StringValidation;
  /** timestamp only: tried in order, the first that reads the value wins. */
  timeFormats?: readonly string[];
  /** object only: the declared children; others are kept as they came. */
  fields?: readonly FieldSchema[];
  /** array only. */
  element?: ValueSchema;
}

export interface FieldSchema extends ValueSchema {
  name: string;
  required: boolean;
  /** timestamp, at most one per schema, not under an array: p_event_time comes from it. */
  isEventTime: boolean;
}

export interface LogTypeSchema {
  /** e.g. Panther.Audit */
  logType: string;
  /** Table name and topic suffix, e.g. panther_audit; also the schema's file name. */
  slug: string;
  description: string;
  referenceURL?: string;
  /** The p_schema_version of the events normalized with this schema. */
  version: number;
  /** Top-level fields, in column order. */
  fields: readonly FieldSchema[];
  /** The isEventTime field, if any: at the top level or inside objects. */
  eventTimeField?: FieldSchema;
  /** Its path, e.g. timestamp or id.time. */
  eventTimePath?: string;
  /** The file it was read from, for messages. */
  file: string;
}
