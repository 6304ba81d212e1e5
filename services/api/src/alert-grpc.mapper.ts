import type { Alert, AlertActivity, AlertDelivery, ListAlertsRequest__Output } from '@caracal/api';
import { InvalidArgumentError } from '@caracal/core';
import { ALERT_STATUSES, ALERT_TYPES, AlertStatus, SEVERITIES, Severity } from '@caracal/core/messages';
import type { AlertActivityView, AlertDeliveryView, AlertListFilter, AlertView } from './alert-view.types';
import { fromEnum, toTimestamp } from './grpc-values.mapper';

/**
 * Milliseconds, rounded up: a bound of 12.5 ms means created_at >= 13 ms
 * (after) or created_at < 13 ms (before) on a millisecond column.
 */
function timestampMs(ts: { seconds: string | number; nanos: number } | null | undefined): number | undefined {
  if (!ts) return undefined;
  const seconds = Number(ts.seconds);
  if (!Number.isFinite(seconds)) throw new InvalidArgumentError(`invalid timestamp seconds "${ts.seconds}"`);
  return seconds * 1000 + Math.ceil((ts.nanos ?? 0) / 1e6);
}

export function statusFromProto(value: string | number): AlertStatus {
  return fromEnum('status', 'ALERT_STATUS_', ALERT_STATUSES, value);
}

export function listFilterFromProto(req: ListAlertsRequest__Output): AlertListFilter {
  return {
    pageSize: req.pageSize,
    ruleId: req.ruleId || undefined,
    statuses: req.statuses.map((s) => fromEnum('statuses', 'ALERT_STATUS_', ALERT_STATUSES, s)),
    severities: req.severities.map((s) => fromEnum<Severity>('severities', 'SEVERITY_', SEVERITIES, s)),
    types: req.types.map((t) => fromEnum('types', 'ALERT_TYPE_', ALERT_TYPES, t)),
    createdAfterMs: timestampMs(req.createdAfter),
    createdBeforeMs: timestampMs(req.createdBefore),
    pageToken: req.pageToken || undefined,
  };
}

export function toAlertMessage(a: AlertView): Alert {
  return {
    alertId: a.alertId,
    ruleId: a.ruleId,
    title: a.title,
    severity: `SEVERITY_${a.severity}`,
    status: `ALERT_STATUS_${a.status}`,
    dedup: a.dedup,
    eventCount: String(a.eventCount),
    firstEventTime: toTimestamp(a.firstEventTime),
    lastEventTime: toTimestamp(a.lastEventTime),
    createdTime: toTimestamp(a.createdTime),
    logType: a.logTypes[0] ?? '',
    type: `ALERT_TYPE_${a.type}`,
    assignee: a.assignee,
    ruleSeverity: `SEVERITY_${a.ruleSeverity}`,
    threshold: a.threshold,
    dedupPeriodMinutes: a.dedupPeriodMinutes,
    updatedTime: toTimestamp(a.updatedTime),
    alertContextJson: a.alertContextJson,
    description: a.description,
    reference: a.reference,
    runbook: a.runbook,
    tags: a.tags,
    logTypes: a.logTypes,
    destinationOverride: a.destinationOverride ?? [],
    hasDestinationOverride: a.destinationOverride !== null,
    outputIds: a.outputIds,
    auxErrors: a.auxErrors,
    errorType: a.errorType,
    errorMessage: a.errorMessage,
  };
}

export function toActivityMessage(a: AlertActivityView): AlertActivity {
  return {
    activityId: a.activityId,
    kind: `ALERT_ACTIVITY_KIND_${a.kind}`,
    status: a.status ? `ALERT_STATUS_${a.status}` : 'ALERT_STATUS_UNSPECIFIED',
    assignee: a.assignee,
    comment: a.comment,
    actor: a.actor,
    createdTime: toTimestamp(a.createdTime),
  };
}

export function toDeliveryMessage(d: AlertDeliveryView): AlertDelivery {
  return {
    destinationId: d.destinationId,
    destinationType: d.destinationType,
    outcome: `ALERT_DELIVERY_OUTCOME_${d.outcome}`,
    attempts: d.attempts,
    httpStatus: d.httpStatus,
    error: d.error,
    attemptedTime: toTimestamp(d.attemptedTime),
  };
}
