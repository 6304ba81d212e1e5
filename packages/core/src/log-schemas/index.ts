/**
 * @caracal/core/log-schemas: the log types Caracal ingests, read from the YAML
 * files of packages/core/log-schemas, and the time formats their fields use.
 */
export { parseLogSchema } from './log-schema.loader';
export { logSchema, logSchemas, supportedLogTypes } from './log-schema.registry';
export type { FieldSchema, Indicator, LogTypeSchema, ValueSchema } from './log-schema.types';
export { PANTHER_AUDIT_ACTIONS } from './panther-audit-actions';
export type { PantherAuditAction } from './panther-audit-actions';
export { parseTimestamp } from './time-format.parser';
