/**
 * What one API argument may be, in one place. The API refuses a larger or
 * malformed argument up front with INVALID_ARGUMENT, naming the field and
 * the limit, before the value reaches a store, a log line or an error
 * message. Every limit is far above what a real client sends.
 */

/**
 * RuleIDs: Panther's are dotted names (AWS.CloudTrail.Created). The id is a
 * Kafka key, an alert key and a file name in places, so no separators,
 * control characters or path syntax.
 */
export const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_RULE_ID_CHARS = 200;
export const RULE_ID_RULE = `1-${MAX_RULE_ID_CHARS} letters, digits, '.', '_' or '-', starting with a letter or digit`;

/** Ids the server hands out (alerts, tokens, queries): hex, UUIDs and the like. */
export const OPAQUE_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
export const MAX_OPAQUE_ID_CHARS = 64;
export const OPAQUE_ID_RULE = `1-${MAX_OPAQUE_ID_CHARS} letters, digits, '-' or '_'`;

/** Source ids: they are the path of a source's ingest URL. */
export const SOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const MAX_SOURCE_ID_CHARS = 63;
/** Caracal's own sources (caracal-api, the API audit trail): no tenant source may pose as one. */
export const RESERVED_SOURCE_ID_PREFIX = 'caracal-';
/** The random end the server gives every source id made through the API: '-' and 10 hex digits. */
export const SOURCE_ID_SUFFIX_CHARS = 11;
/** What a caller may ask a new source's id to start with. */
export const MAX_SOURCE_ID_PREFIX_CHARS = MAX_SOURCE_ID_CHARS - SOURCE_ID_SUFFIX_CHARS;

/** Token names, source labels, assignees. */
export const MAX_NAME_CHARS = 200;
/** Log type names (Panther.Audit); longer is never one that exists. */
export const MAX_LOG_TYPE_CHARS = 128;
/** HTTP header names a source reads its secret from. */
export const MAX_HEADER_NAME_CHARS = 100;

/** ClickHouse's own default max_query_size. */
export const MAX_SQL_BYTES = 256 * 1024;

/**
 * A detection's files. They travel as one record of the compacted detections
 * topic, whose messages Kafka caps at 1 MiB by default; JSON escaping grows
 * them, so together they stay well under half of that.
 */
export const MAX_DETECTION_YAML_BYTES = 64 * 1024;
export const MAX_DETECTION_PYTHON_BYTES = 256 * 1024;

/** Events given to TestDetection: as many as a test needs, each as large as ingest takes by default. */
export const MAX_TEST_EVENTS = 1000;
export const MAX_TEST_EVENT_BYTES = 512 * 1024;

/** Alert changes. */
export const MAX_ALERT_IDS_PER_UPDATE = 100;
export const MAX_COMMENT_CHARS = 10_000;
export const MAX_ASSIGNEE_CHARS = MAX_NAME_CHARS;

/** The details of a gRPC status travel percent-encoded in a trailer; HTTP/2 peers refuse header blocks past 64 KiB. */
export const MAX_STATUS_DETAILS_BYTES = 4096;
