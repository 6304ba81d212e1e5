import type { AlertDeliveryRecord, AlertRecord } from '@caracal/core/messages';

/** An alert record as a row of caracal.alerts. */
export function alertRow(a: AlertRecord): Record<string, unknown> {
  return {
    tenant_id: a.tenantId,
    alert_id: a.alertId,
    type: a.type,
    rule_id: a.ruleId,
    dedup_key: a.dedupKey,
    dedup: a.dedup,
    title: a.title,
    severity: a.severity,
    rule_severity: a.ruleSeverity,
    log_types: a.logTypes,
    event_count: a.eventCount,
    threshold: a.threshold,
    dedup_period_minutes: a.dedupPeriodMinutes,
    first_event_time: a.firstEventTime,
    last_event_time: a.lastEventTime,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    threshold_reached_at: a.thresholdReachedAt,
    initial_status: a.initialStatus,
    alert_context: JSON.stringify(a.alertContext ?? {}),
    description: a.description,
    reference: a.reference,
    runbook: a.runbook,
    tags: a.tags,
    reports: a.reports,
    destination_override: a.destinationOverride === null ? null : JSON.stringify(a.destinationOverride),
    output_ids: a.outputIds,
    aux_errors: a.auxErrors,
    error_type: a.errorType,
    error_message: a.errorMessage,
    version: a.version,
  };
}

/** A delivery outcome as a row of caracal.alert_deliveries. */
export function alertDeliveryRow(d: AlertDeliveryRecord): Record<string, unknown> {
  return {
    tenant_id: d.tenantId,
    alert_id: d.alertId,
    destination_id: d.destinationId,
    destination_type: d.destinationType,
    outcome: d.outcome,
    attempts: d.attempts,
    http_status: d.httpStatus,
    error: d.error,
    attempted_at: d.attemptedAt,
  };
}
