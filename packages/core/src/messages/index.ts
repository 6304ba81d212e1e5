/**
 * @caracal/core/messages: the records that travel between stages (events,
 * rule outputs, alerts, deliveries, rejections, detection changes), their keys,
 * and the decoders that check a consumed value before anyone reads it. The
 * topics that carry them are declared in @caracal/bus (topic-contracts.ts).
 */
export { alertDedupKey, isErrorAlertType, outputAlertType, ruleErrorDedup } from './alert-keys';
export { ALERT_STATUSES, ALERT_TYPES } from './alert.types';
export type { AlertDeliveryRecord, AlertEventRecord, AlertRecord, AlertStatus, AlertType, DeliveryOutcome, RuleError, RuleErrorOutcome, RuleMatch, RuleMatchOutcome, RuleSettings, SourcePosition } from './alert.types';
export { MessageDecodeError, decodeAlertDeliveryRecord, decodeAlertEventRecord, decodeAlertRecord, decodeIngestRejection, decodeNormalizedEvent, decodeRuleError, decodeRuleMatch, decodeTenantDetectionRecord } from './bus-message.decoders';
export { tenantDetectionKey, tenantDetectionRecordProblem } from './detection.types';
export type { DetectionFiles, TenantDetectionRecord } from './detection.types';
export { EXTRA_FIELDS, SEVERITIES, STANDARD_EVENT_FIELDS, fromClickHouseTime, logTypeSlug, toClickHouseTime } from './event.types';
export type { NormalizedEvent, Severity } from './event.types';
export type { IngestRejection } from './ingest-rejection.types';
export { correlationRuleLogType, DERIVED_EVENT_FIELDS, isCorrelationRuleLogType, isDerivedLogType, isScheduledQueryLogType, scheduledQueryLogType } from './scheduled-row';
export type { ScheduledRowEvent } from './scheduled-row';
