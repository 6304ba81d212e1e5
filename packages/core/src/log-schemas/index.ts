/**
 * @caracal/core/log-schemas: the log types Caracal ingests, read from the YAML
 * files of packages/core/log-schemas, the time formats their fields use, and
 * the normalizer that turns a raw event into a NormalizedEvent (HTTP ingest and
 * the API's own audit trail both use it).
 */
export { canonicalJson, MAX_EVENT_DEPTH, normalizeEvent } from './log-event.normalizer';
export type { FieldProblem, NormalizeContext, NormalizeResult } from './log-event.normalizer';
export { parseLogSchema } from './log-schema.loader';
export { logSchema, logSchemas, supportedLogTypes } from './log-schema.registry';
export type { FieldSchema, LogTypeSchema, ValueSchema } from './log-schema.types';
export { PANTHER_AUDIT_ACTIONS } from './panther-audit-actions';
export type { PantherAuditAction } from './panther-audit-actions';
