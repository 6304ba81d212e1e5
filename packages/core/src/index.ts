/**
 * @caracal/core: the kernel every package shares (errors, configuration,
 * logging, dependency-injection tokens, text limits). The other concerns of core
 * are subpaths of their own: `@caracal/core/messages` (what travels on the bus),
 * `@caracal/core/log-schemas` (log types and normalization),
 * `@caracal/core/control-plane` (tenants, sources, tokens, destinations) and
 * `@caracal/core/observability` (metrics, readiness, tracing).
 */
export { MAX_ALERT_IDS_PER_UPDATE, MAX_ASSIGNEE_CHARS, MAX_COMMENT_CHARS, MAX_DETECTION_PYTHON_BYTES, MAX_DETECTION_YAML_BYTES, MAX_HEADER_NAME_CHARS, MAX_LOG_TYPE_CHARS, MAX_NAME_CHARS, MAX_OPAQUE_ID_CHARS, MAX_RULE_ID_CHARS, MAX_SOURCE_ID_CHARS, MAX_SOURCE_ID_PREFIX_CHARS, MAX_SQL_BYTES, MAX_STATUS_DETAILS_BYTES, MAX_TEST_EVENTS, MAX_TEST_EVENT_BYTES, OPAQUE_ID_PATTERN, OPAQUE_ID_RULE, RULE_ID_PATTERN, RULE_ID_RULE, SOURCE_ID_PATTERN } from './kernel/api-limits';
export { DETECTION_DEFAULTS, loadConfig } from './kernel/config';
export type { CaracalConfig, RunMode } from './kernel/config';
export { CaracalError, InvalidArgumentError, NotFoundError, PermissionDeniedError, UnauthenticatedError, UnavailableError, describeError } from './kernel/errors';
export type { CaracalErrorOptions, ErrorCode } from './kernel/errors';
export { createLogger, recentErrorsOf } from './kernel/logger';
export { RECENT_ERRORS_KEPT, RecentErrors } from './kernel/recent-errors.buffer';
export type { RecentError } from './kernel/recent-errors.buffer';
export type { Logger } from './kernel/logger';
export { truncateUtf8, utf8Bytes } from './kernel/text-truncation';
export { CONFIG, CONTROL_STORE, LAKE_CLIENT, LOGGER, MESSAGE_BUS, METRICS, READINESS } from './kernel/tokens';
export { repairLoneSurrogates, wellFormedText } from './kernel/well-formed-text';
export { writeFileDurably } from './kernel/durable-file';
export { privateRangeOf } from './kernel/private-address';
export { publicOnlyLookup } from './kernel/public-only.lookup';
export type { PrivateAddressRefusal } from './kernel/public-only.lookup';
